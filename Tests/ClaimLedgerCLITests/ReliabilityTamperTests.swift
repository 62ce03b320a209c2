import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// Single-byte tampering, in-process (LedgerStore.verify), exhaustive on a small ledger and random on the
/// committed seed ledger. Set RELIABILITY_MUTATIONS for more random mutations.
@Suite("Reliability: tamper detection")
struct ReliabilityTamperTests {
    /// Two replacements of `byte`: one bit flipped, and another printable ASCII character.
    static func replacements(_ byte: UInt8) -> [UInt8] {
        let printable: UInt8 = switch byte {
        case 0x30..<0x39, 0x41..<0x5A, 0x61..<0x7A: byte + 1
        case 0x39, 0x5A, 0x7A: byte - 1
        case 0x21..<0x7F: byte == 0x78 ? 0x79 : 0x78  // punctuation becomes "x"
        default: 0x41  // space, newline, UTF-8 bytes become "A"
        }
        return [byte ^ 0x01, printable]
    }

    @Test("Every byte of a small ledger, changed two ways: verify fails each time; torn-line only at the final newline")
    func everyByteOfASmallLedger() throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        #expect(ledger.status("Kyiv disputes the figure.").status == 0)
        #expect(ledger.status("Two outlets refute it.", "refuted").status == 0)
        let original = try RelFiles.bytes(ledger.entries)
        let store = try LedgerStore.open(ledger.path)
        try #require(try store.verify().report.ok)
        let last = original.count - 1
        var mutations = 0, detected = 0, codes = [String: Int]()
        for p in original.indices {
            for byte in Self.replacements(original[p]) {
                RelFiles.poke(ledger.entries, at: p, byte)
                let report = try store.verify().report
                mutations += 1
                guard let failure = report.failure else {
                    Issue.record("byte \(p) (0x\(String(original[p], radix: 16)) -> 0x\(String(byte, radix: 16))) not detected")
                    continue
                }
                detected += 1
                codes[failure.code.rawValue, default: 0] += 1
                if p == last {
                    #expect(failure.code == .tornLine, "the final newline changed: \(failure)")
                } else {
                    #expect(failure.code != .tornLine, "byte \(p): \(failure)")
                }
            }
            RelFiles.poke(ledger.entries, at: p, original[p])
        }
        #expect(try RelFiles.bytes(ledger.entries) == original)
        #expect(try store.verify().report.ok)
        #expect(mutations == 2 * original.count && detected == mutations)
        let summary = codes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("RELIABILITY exhaustive mutations: bytes=\(original.count) mutations=\(mutations) detected=\(detected) \(summary)")
    }

    @Test("Random single-byte mutations of the committed seed ledger: every one detected")
    func randomMutationsOfTheSeedLedger() throws {
        var template = Array((NSTemporaryDirectory() + "claimledger-rel-seed-XXXXXX").utf8CString)
        let dir = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let copy = dir + "/ledger"
        try FileManager.default.copyItem(atPath: RelProcess.repoRoot + "/ledger", toPath: copy)
        let store = try LedgerStore.open(copy)
        let path = store.entriesPath
        let original = try RelFiles.bytes(path)

        // The verified state after each line, so that a mutation in line k is checked by the verifier resuming
        // after line k - 1 (as `verify --since` does), on the mutated bytes in memory; one mutation in twenty
        // is also written to disk and checked by a full `LedgerStore.verify()`, which must agree.
        var verifier = LedgerVerifier(archive: store.archive)
        var resumes = [verifier.state]
        var boundaries = [0]
        var start = 0
        for (i, byte) in original.enumerated() where byte == 0x0A {
            verifier.verify(line: Array(original[start..<i]))
            start = i + 1
            resumes.append(verifier.state)
            boundaries.append(start)
        }
        try #require(verifier.failure == nil && start == original.count, "the seed ledger does not verify")

        let count = Int(ProcessInfo.processInfo.environment["RELIABILITY_MUTATIONS"] ?? "") ?? 3000
        var generator = SystemRandomNumberGenerator()
        var mutated = 0, detected = 0, fullChecks = 0, codes = [String: Int]()
        var bytes = original
        for n in 0..<count {
            let p = Int.random(in: 0..<original.count, using: &generator)
            let byte = n % 2 == 0 ? original[p] ^ (1 << UInt8.random(in: 0...7, using: &generator))
                                  : UInt8.random(in: 0...255, using: &generator)
            guard byte != original[p] else { continue }
            mutated += 1
            bytes[p] = byte
            let line = boundaries.lastIndex { $0 <= p } ?? 0
            var resumed = LedgerVerifier(archive: store.archive, resuming: resumes[line])
            var lineStart = boundaries[line]
            while resumed.failure == nil, let nl = bytes[lineStart...].firstIndex(of: 0x0A) {
                resumed.verify(line: Array(bytes[lineStart..<nl]))
                lineStart = nl + 1
            }
            let failure = resumed.finish(tornTail: Array(bytes[lineStart...])).failure
            if let failure {
                detected += 1
                codes[failure.code.rawValue, default: 0] += 1
                #expect((failure.code == .tornLine) == (p == original.count - 1), "byte \(p): \(failure)")
            } else {
                Issue.record("seed ledger byte \(p) (0x\(String(original[p], radix: 16)) -> 0x\(String(byte, radix: 16))) not detected")
            }
            if n % 20 == 0 {
                fullChecks += 1
                RelFiles.poke(path, at: p, byte)
                #expect(try store.verify().report.failure?.code == failure?.code, "byte \(p): resumed and full verification disagree")
                RelFiles.poke(path, at: p, original[p])
            }
            bytes[p] = original[p]
        }
        #expect(try RelFiles.bytes(path) == original)
        #expect(try store.verify().report.ok)
        let summary = codes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        #expect(detected == mutated)
        print("RELIABILITY seed mutations: mutated=\(mutated) detected=\(detected) fullChecks=\(fullChecks) \(summary)")
    }
}
