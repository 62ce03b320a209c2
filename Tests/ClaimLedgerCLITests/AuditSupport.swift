import Foundation
import Testing

// Support for the auditor's walkthrough tests (docs/AUDIT.md). Every name here starts with `Audit`
// so that it cannot clash with the other helpers of this test target.

/// What a process did (the target's `ProcessResult`, from `Subprocess.run` in CLI.swift).
typealias AuditResult = ProcessResult

extension ProcessResult {
    /// stdout as a JSON object (for `--json` output).
    func jsonObject() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        guard let object = value as? [String: Any] else { throw AuditFailure("stdout is not a JSON object: \(self)") }
        return object
    }
}

struct AuditFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum AuditProcess {
    /// Runs `executable` to completion (see `Subprocess.run`); standard input is empty.
    static func run(_ executable: String, _ arguments: [String], env: [String: String] = [:], cwd: String? = nil) throws -> AuditResult {
        try Subprocess.run(executable, arguments, env: env, cwd: cwd)
    }

    /// Whether `name` is an executable on PATH.
    static func onPath(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}

/// The repository and the `claimledger` binary under test.
enum AuditRepo {
    /// The package root: three levels up from this file (Tests/ClaimLedgerCLITests/AuditSupport.swift).
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The binary beside the test bundle (same build), else where `swift build --show-bin-path` says.
    static let binary: String? = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), testBinary.deletingLastPathComponent()]
        for folder in folders {
            let candidate = folder.appendingPathComponent("claimledger").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let shown = try? AuditProcess.run("swift", ["build", "--package-path", root, "--show-bin-path"])
        let candidate = (shown?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") + "/claimledger"
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    /// Runs `claimledger args`; fails the test clearly when the binary cannot be found.
    static func claimledger(_ args: [String], env: [String: String] = [:], cwd: String? = nil) throws -> AuditResult {
        guard let binary else {
            throw AuditFailure("no claimledger binary beside the test bundle (\(Bundle.main.bundleURL.path)) nor in "
                               + "`swift build --show-bin-path`: build it with `swift build --product claimledger`")
        }
        return try AuditProcess.run(binary, args, env: env, cwd: cwd)
    }

    /// Test-only keys committed for the tests (Tests/TestOnlyKeys/README.md), never the newsroom's.
    static let testOnlyKeys = root + "/Tests/TestOnlyKeys"
}

enum AuditFiles {
    static func makeTemporaryDirectory(prefix: String) throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw AuditFailure("mkdtemp failed") }
        return String(cString: made)
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func text(_ path: String) throws -> String { String(decoding: try bytes(path), as: UTF8.self) }

    static func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    static func write(_ bytes: [UInt8], to path: String, mode: Int = 0o644) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    static func writeJSON(_ object: Any, to path: String) throws {
        try Data(try JSONSerialization.data(withJSONObject: object)).write(to: URL(fileURLWithPath: path))
    }

    static func readJSON(_ path: String) throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] else {
            throw AuditFailure("\(path) is not a JSON object")
        }
        return o
    }
}

/// A practice copy of the seed ledger: `seeds/rebuild-ledger.sh --seed-only` run with the test-only keys, so
/// that the same 178 entries of the first checkpoint (same payloads and times, other signers) and `checkpoints/178` exist without the
/// newsroom's private keys; the test-only keys (mode 0600), an auditor's `vault/` for saved checkpoints,
/// and the root key's note verifier key.
struct AuditWorkspace {
    static let origin = "claimledger.example/newsroom"
    static let seedSize = 178

    let dir: String
    var ledger: String { dir + "/ledger" }
    var vault: String { dir + "/vault" }
    var rootKey: String { dir + "/root.pem" }
    var deskKey: String { dir + "/desk.pem" }
    var rootPublicKey: String { AuditRepo.testOnlyKeys + "/test-only-root.pub.pem" }
    var deskPublicKey: String { AuditRepo.testOnlyKeys + "/test-only-desk.pub.pem" }

    /// The practice ledger, built once per test process by the rebuild script; workspaces copy it.
    static let practiceLedger: Result<String, AuditFailure> = {
        guard let binary = AuditRepo.binary else { return .failure(AuditFailure("no claimledger binary: build it first")) }
        do {
            let dir = try AuditFiles.makeTemporaryDirectory(prefix: "claimledger-practice")
            let keys = AuditRepo.testOnlyKeys
            let result = try AuditProcess.run("/bin/bash", [
                AuditRepo.root + "/seeds/rebuild-ledger.sh", "--root-key", keys + "/test-only-root.pem",
                "--desk-key", keys + "/test-only-desk.pem", "--seed-only", dir + "/ledger",
            ], env: ["CLAIMLEDGER_BIN": binary])
            guard result.status == 0 else { return .failure(AuditFailure("seeds/rebuild-ledger.sh failed: \(result)")) }
            return .success(dir + "/ledger")
        } catch {
            return .failure(AuditFailure("cannot build the practice ledger: \(error)"))
        }
    }()

    /// Runs `body` in a fresh workspace, removed afterwards.
    static func with<T>(_ body: (AuditWorkspace) throws -> T) throws -> T {
        let dir = try AuditFiles.makeTemporaryDirectory(prefix: "claimledger-audit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let workspace = AuditWorkspace(dir: dir)
        try workspace.setUp()
        return try body(workspace)
    }

    /// Copies the practice ledger's entries.jsonl, sources/ and checkpoints/ (not its derived files).
    private func setUp() throws {
        let manager = FileManager.default
        let practice = try Self.practiceLedger.get()
        try manager.createDirectory(atPath: ledger, withIntermediateDirectories: true)
        try manager.createDirectory(atPath: vault, withIntermediateDirectories: true)
        for item in ["entries.jsonl", "sources", "checkpoints"] {
            try manager.copyItem(atPath: practice + "/" + item, toPath: ledger + "/" + item)
        }
        for (name, path) in [("test-only-root.pem", rootKey), ("test-only-desk.pem", deskKey)] {
            try AuditFiles.write(try AuditFiles.bytes(AuditRepo.testOnlyKeys + "/" + name), to: path, mode: 0o600)
        }
    }

    /// `claimledger args` with `--ledger` of this workspace appended unless `ledger` is nil.
    func run(_ args: [String], ledger: String? = "", env: [String: String] = [:]) throws -> AuditResult {
        let target = ledger.map { $0.isEmpty ? self.ledger : $0 }
        return try AuditRepo.claimledger(args + (target.map { ["--ledger", $0] } ?? []), env: env, cwd: dir)
    }

    /// As `run`, requiring exit 0.
    @discardableResult
    func succeed(_ args: [String], ledger: String? = "", env: [String: String] = [:],
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> AuditResult {
        let result = try run(args, ledger: ledger, env: env)
        try #require(result.status == 0, "claimledger \(args.joined(separator: " ")): \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// The root key's note verifier key, made from the public key file alone (no ledger needed).
    func verifierKey() throws -> String {
        let result = try succeed(["key", "verifier-key", rootPublicKey, "--origin", Self.origin], ledger: nil)
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// Step (a): signs a checkpoint of the ledger as it is and saves a copy in the vault as `cp-<size>`.
    @discardableResult
    func saveCheckpoint(size: Int) throws -> String {
        try succeed(["checkpoint", "--key", rootKey])
        let saved = vault + "/cp-\(size)"
        try FileManager.default.copyItem(atPath: ledger + "/checkpoints/\(size)", toPath: saved)
        return saved
    }

    /// Step (b): the journalist records a new status of a seed claim (entry 178), at a fixed time.
    func grow() throws {
        try succeed(["claim", "status", "summit-culmination-keep-us-from-dropping-ukraine", "disputed",
                     "--rationale", "Only Macron's entourage says so; no on-record source.", "--key", deskKey],
                    env: ["CLAIMLEDGER_TIME": "2026-12-01T09:00:00Z"])
    }

    /// A ledger at `path` rebuilt from the seeds with the same keys and times, one claim's statement
    /// changed: every entry verifies on its own, but the tree's root differs from the seed ledger's.
    func buildForgedLedger(at path: String) throws {
        let seeds = dir + "/forged-seeds"
        try FileManager.default.copyItem(atPath: AuditRepo.root + "/seeds", toPath: seeds)
        let importFile = seeds + "/afp-2026-01-06.import.jsonl"
        let original = try AuditFiles.text(importFile)
        let forged = original.replacingOccurrences(of: "US envoys met in Paris on Tuesday", with: "US envoys met in Berlin on Tuesday")
        try #require(forged != original, "the seed import file no longer has the statement this test changes")
        try AuditFiles.write(forged, to: importFile)
        try succeed(["init", "--origin", Self.origin, "--name", "newsroom-root", "--key", rootKey], ledger: path,
                    env: ["CLAIMLEDGER_TIME": "2026-11-25T21:00:00Z"])
        try succeed(["key", "add", deskPublicKey, "--name", "desk-journalist", "--key", rootKey], ledger: path,
                    env: ["CLAIMLEDGER_TIME": "2026-11-25T21:01:00Z"])
        try succeed(["import", importFile, "--key", deskKey], ledger: path, env: ["CLAIMLEDGER_TIME": "2026-11-25T21:05:00Z"])
    }
}
