import Foundation
import LedgerCrypto
import SignedNote
import Testing

/// `go` on PATH. CI gets it from Debian: apt-get install golang-go golang-golang-x-mod-dev.
let goExecutable: String? = ProcessInfo.processInfo.environment["PATH"]?
    .split(separator: ":").map { "\($0)/go" }
    .first { FileManager.default.isExecutableFile(atPath: $0) }

struct InteropError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

struct ProcessResult {
    let status: Int32
    let output: String
    let errors: String
}

func runProcess(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                environment: [String: String]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = environment }
    let (output, errors) = (Pipe(), Pipe())
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                         errors: String(decoding: err, as: UTF8.self))
}

/// Runs Tests/Interop/note-verify, a wrapper around golang.org/x/mod/sumdb/note.Open, on notes made here.
@Suite struct GoInteropTests {
    /// Builds note-verify offline in GOPATH mode against /usr/share/gocode and returns a runner.
    static func buildNoteVerify(in directory: URL) throws -> (NoteVerifierKey, [UInt8]) throws -> ProcessResult {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop/note-verify")
        var environment = ProcessInfo.processInfo.environment
        environment["GO111MODULE"] = "off"
        environment["GOPATH"] = environment["GOPATH"].map { "\($0):/usr/share/gocode" } ?? "/usr/share/gocode"
        environment["GOFLAGS"] = ""
        environment["GOPROXY"] = "off"
        if environment["HOME"] == nil && environment["GOCACHE"] == nil {
            environment["GOCACHE"] = directory.appendingPathComponent("gocache").path
        }
        let binary = directory.appendingPathComponent("note-verify").path
        let build = try runProcess(goExecutable!, ["build", "-o", binary, "."], in: source, environment: environment)
        guard build.status == 0 else {
            throw InteropError(message: "go build of \(source.path) failed: \(build.errors)")
        }
        var count = 0
        return { key, note in
            count += 1
            let keyFile = directory.appendingPathComponent("\(count).vkey")
            let noteFile = directory.appendingPathComponent("\(count).note")
            try Data((key.encoded + "\n").utf8).write(to: keyFile)
            try Data(note).write(to: noteFile)
            return try runProcess(binary, [keyFile.path, noteFile.path])
        }
    }

    @Test(.enabled(if: goExecutable != nil, "go is not on PATH"))
    func goReferenceImplementationOpensSwiftNotes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("note-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let goOpen = try Self.buildNoteVerify(in: directory)

        let peter = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        let goExample = try goOpen(peter, try vectorBytes("go-peterneumann.note"))
        #expect(goExample.status == 0, "\(goExample.errors)")

        let log = try freshSigner("ledger.example/claims")
        let witness = try freshSigner("witness.example/w1")
        let checkpoint = try Checkpoint(origin: log.name, treeSize: 1234, rootHash: SHA256.hash([1, 2, 3]),
                                        extensions: ["ext \u{e8}"])
        let signed = try checkpoint.sign(signers: [log, witness])
        for key in [log.verifierKey, witness.verifierKey] {
            let result = try goOpen(key, signed)
            #expect(result.status == 0, "\(key.encoded): \(result.errors)")
            #expect(result.output == checkpoint.body)
        }
        let stranger = try freshSigner("ledger.example/claims")
        #expect(try goOpen(stranger.verifierKey, signed).status == 1)

        let tampered = Array(String(decoding: signed, as: UTF8.self).replacingOccurrences("\n1234\n", with: "\n1235\n").utf8)
        #expect(try goOpen(log.verifierKey, tampered).status == 1)

        let text = "ed \u{e8} subito sera \u{1F30A}\n\nsecond paragraph\n"
        let note = try SignedNoteDocument.sign(text: text, signers: [witness])
        let result = try goOpen(witness.verifierKey, note)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == text)
    }
}
