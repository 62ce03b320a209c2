import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// docs/AUDIT.md 1.3-1.5: the verifier key that `claimledger key verifier-key` prints is the C2SP
/// signed-note key of the root key, and Go's golang.org/x/mod/sumdb/note opens the stored checkpoints
/// with it (Tests/Interop/note-verify).
@Suite struct AuditGoInteropTests {
    static let goAvailable = AuditProcess.onPath("go")

    /// Builds Tests/Interop/note-verify offline (GOPATH mode, Debian's golang-golang-x-mod-dev) into `dir`.
    static func buildNoteVerify(into dir: String) throws -> String {
        let binary = dir + "/note-verify"
        var env = ["GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOFLAGS": "", "GOPROXY": "off"]
        if ProcessInfo.processInfo.environment["HOME"] == nil && ProcessInfo.processInfo.environment["GOCACHE"] == nil {
            env["GOCACHE"] = dir + "/gocache"
        }
        let build = try AuditProcess.run("go", ["build", "-o", binary, "."], env: env, cwd: AuditRepo.root + "/Tests/Interop/note-verify")
        try #require(build.status == 0, "go build of Tests/Interop/note-verify failed: \(build)")
        return binary
    }

    /// The verifier key from the ledger's origin and from `--origin` agree, and its parts are those of
    /// C2SP signed-note: name = origin, key id = SHA-256(name || 0x0A || 0x01 || key)[0..<4], base64(0x01 || key).
    @Test func verifierKeyIsTheSignedNoteKeyOfTheRootKey() throws {
        try AuditWorkspace.with { w in
            let fromLedger = try w.succeed(["key", "verifier-key", w.rootPublicKey]).stdout
            #expect(fromLedger.hasSuffix("\n"))
            let key = fromLedger.trimmingCharacters(in: .newlines)
            #expect(key == (try w.verifierKey()))
            let parts = key.split(separator: "+", maxSplits: 2).map(String.init)
            try #require(parts.count == 3, "\(key)")
            #expect(parts[0] == AuditWorkspace.origin)
            let raw = try KeyFiles.loadPublicKey(w.rootPublicKey).rawRepresentation
            let id = SHA256.hash(Array(AuditWorkspace.origin.utf8) + [0x0A, 0x01] + raw).bytes.prefix(4)
            #expect(parts[1] == id.map { String(format: "%02x", $0) }.joined())
            #expect(Data(base64Encoded: parts[2]).map(Array.init) == [0x01] + raw)
            // The signature line of the stored checkpoint carries that key id.
            let note = try AuditFiles.text(w.ledger + "/checkpoints/178")
            let signature = try #require(note.split(separator: "\n").last?.split(separator: " ").last)
            #expect(Data(base64Encoded: String(signature)).map { Array($0.prefix(4)) } == Array(id))
        }
    }

    @Test(.enabled(if: AuditGoInteropTests.goAvailable, "go is not on PATH (apt-get install golang-go golang-golang-x-mod-dev)"))
    func goNoteVerifierOpensTheStoredCheckpoints() throws {
        try AuditWorkspace.with { w in
            let noteVerify = try Self.buildNoteVerify(into: w.dir)
            let keyFile = w.dir + "/root.vkey"
            try AuditFiles.write(try w.succeed(["key", "verifier-key", w.rootPublicKey]).stdout, to: keyFile)

            let stored = w.ledger + "/checkpoints/178"
            let opened = try AuditProcess.run(noteVerify, [keyFile, stored])
            #expect(opened.status == 0, "\(opened)")
            let note = try AuditFiles.text(stored)
            let body = try #require(note.range(of: "\n\n")).lowerBound
            #expect(opened.stdout == String(note[..<body]) + "\n")
            #expect(opened.stdout.hasPrefix(AuditWorkspace.origin + "\n178\n"))

            try w.grow()
            let fresh = try w.saveCheckpoint(size: 179)
            let openedFresh = try AuditProcess.run(noteVerify, [keyFile, fresh])
            #expect(openedFresh.status == 0 && openedFresh.stdout.hasPrefix(AuditWorkspace.origin + "\n179\n"), "\(openedFresh)")

            for tampering in AuditCheckpointTampering.allCases {
                let bad = w.dir + "/tampered-\(tampering)"
                try AuditFiles.write(try tampering.apply(to: note), to: bad)
                let r = try AuditProcess.run(noteVerify, [keyFile, bad])
                #expect(r.status == 1 && r.stdout.isEmpty, "\(tampering): \(r)")
            }

            try w.succeed(["key", "generate", "--out", w.dir + "/other.pem"], ledger: nil)
            let otherKey = w.dir + "/other.vkey"
            try AuditFiles.write(try w.succeed(["key", "verifier-key", w.dir + "/other.pem.pub"]).stdout, to: otherKey)
            let other = try AuditProcess.run(noteVerify, [otherKey, stored])
            #expect(other.status == 1 && other.stdout.isEmpty, "\(other)")
        }
    }
}
