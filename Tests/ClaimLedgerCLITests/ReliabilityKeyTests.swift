import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Testing

/// Private keys: permissions, creation without a readable window, never printed; signature edge vectors.
@Suite("Reliability: keys and signatures")
struct ReliabilityKeyTests {
    @Test("Private keys readable by group or others are refused; 0600 and 0400 are accepted", arguments: [0o640, 0o604, 0o644, 0o660, 0o606, 0o610])
    func permissiveKeysRefused(mode: Int) throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        let loose = ledger.dir + "/loose.pem"
        try RelFiles.write(try RelFiles.bytes(ledger.deskKey), loose)
        chmod(loose, mode_t(mode))
        let before = try RelFiles.bytes(ledger.entries)
        let r = RelProcess.tool(["claim", "status", "claim-one", "disputed", "--rationale", "x", "--ledger", ledger.path, "--key", loose])
        #expect(r.status == 3 && r.err.split(separator: "\n").count == 1, "\(r)")
        #expect(r.err.contains("chmod 600") && r.err.contains(String(mode, radix: 8)), "\(r)")
        #expect(try RelFiles.bytes(ledger.entries) == before)
        for ok in [0o600, 0o400] {
            chmod(loose, mode_t(ok))
            #expect(RelProcess.tool(["claim", "status", "claim-one", "disputed", "--rationale", "mode \(ok)",
                                     "--ledger", ledger.path, "--key", loose]).status == 0)
        }
    }

    @Test("key generate: the private file is never seen with group or other bits, and ends 0600 (public 0644)")
    func generateHasNoWindow() throws {
        var template = Array((NSTemporaryDirectory() + "claimledger-rel-keys-XXXXXX").utf8CString)
        let dir = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = (0..<20).map { "\(dir)/k\($0).pem" }
        let watch = RelModeWatch(paths: paths)
        let thread = Thread { watch.run() }
        thread.start()
        for path in paths {
            // The loosest umask, in the child only: the tool must not rely on the umask.
            let r = RelProcess.run("/bin/sh", ["-c", #"umask 0; exec "$0" "$@""#, RelProcess.toolPath, "key", "generate", "--out", path])
            #expect(r.status == 0, "\(r)")
            #expect(RelFiles.mode(path) == 0o600 && RelFiles.mode(path + ".pub") == 0o644)
        }
        watch.stop()
        #expect(watch.loose.isEmpty, "seen with loose modes: \(watch.loose.prefix(5))")
        #expect(watch.observations > 0)
        print("RELIABILITY key generate: \(paths.count) keys, \(watch.observations) stat observations of a private key file, none loose")
    }

    @Test("Non-canonical signatures (S >= L) in an otherwise valid line are rejected by verify", arguments: [1, 2, 3])
    func nonCanonicalS(multiple: Int) throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        var lines = String(decoding: try RelFiles.bytes(ledger.entries), as: UTF8.self).split(separator: "\n").map(String.init)
        let entry = try SignedEntry.parse(line: Array(lines[3].utf8))
        var signature = entry.signature
        // S occupies bytes 32..<64, little-endian; S + k*L verifies the same equation under a lax verifier.
        let order: [UInt8] = [0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
                              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10]
        for _ in 0..<multiple {
            var carry = 0
            for i in 0..<32 {
                let sum = Int(signature[32 + i]) + Int(order[i]) + carry
                signature[32 + i] = UInt8(sum & 0xFF)
                carry = sum >> 8
            }
            try #require(carry == 0)
        }
        let oldText = Base64.encode(entry.signature), newText = Base64.encode(signature)
        lines[3] = lines[3].replacingOccurrences(of: oldText, with: newText)
        try #require(lines[3].contains(newText) && (try? SignedEntry.parse(line: Array(lines[3].utf8))) != nil)
        try RelFiles.write(lines.map { $0 + "\n" }.joined(), ledger.entries)
        let v = ledger.verifyJSON()
        #expect(v.status == 1 && v.code == "bad-signature" && v.entries == 3, "\(v)")
        #expect(!(try LedgerStore.open(ledger.path).verify().report.ok))
    }
}

/// Polls the modes of some paths from another thread until stopped.
final class RelModeWatch: @unchecked Sendable {
    private let lock = NSLock()
    private let paths: [String]
    private var stopped = false, finished = false
    private var seen = [String]()
    private var count = 0

    init(paths: [String]) { self.paths = paths }

    var loose: [String] { lock.withLock { seen } }
    var observations: Int { lock.withLock { count } }

    func run() {
        while !lock.withLock({ stopped }) {
            for path in paths {
                var st = stat()
                guard stat(path, &st) == 0 else { continue }
                let mode = st.st_mode & 0o777
                lock.withLock {
                    count += 1
                    if mode & 0o077 != 0 { seen.append("\(path) \(String(mode, radix: 8))") }
                }
            }
        }
        lock.withLock { finished = true }
    }

    func stop() {
        lock.withLock { stopped = true }
        while !lock.withLock({ finished }) { usleep(1000) }
    }
}
