import CanonicalJSON
import Foundation
import Testing

/// What a process did: its exit status (128 + signal when killed by one) and its output.
struct ProcessResult: Sendable, CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    var json: JSONValue { get throws { try JSONParser.parse(stdout) } }
    var description: String { "exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))" }
}

enum Subprocess {
    /// Runs `executable` (a path, or a name looked up on PATH) to completion. Output goes to temporary
    /// files, not pipes, so a chatty process cannot block on a full pipe.
    static func run(_ executable: String, _ arguments: [String], env: [String: String] = [:], stdin: [UInt8]? = nil,
                    cwd: String? = nil) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("claimledger-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        try Data(stdin ?? []).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CLAIMLEDGER_KEY"] = nil
        environment["CLAIMLEDGER_TIME"] = nil
        environment.merge(env) { $1 }
        process.environment = environment
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        defer { try? input.close(); try? output.close(); try? errors.close() }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessResult(status: status, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// The `claimledger` binary built by this `swift test` run, and a way to run it.
enum CLI {
    /// The package's root: three levels up from this file (Tests/ClaimLedgerCLITests/CLI.swift).
    static let repoRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let binary: String = locateBinary()

    static func run(_ arguments: [String], env: [String: String] = [:], stdin: [UInt8]? = nil, cwd: String? = nil) throws -> ProcessResult {
        try Subprocess.run(binary, arguments, env: env, stdin: stdin, cwd: cwd)
    }

    /// The test bundle runs from the build directory, where the product of the same build sits beside it;
    /// otherwise ask SwiftPM where it puts products.
    private static func locateBinary() -> String {
        let manager = FileManager.default
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), testBinary.deletingLastPathComponent()]
        for folder in folders {
            let candidate = folder.appendingPathComponent("claimledger").path
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        let shown = try? Subprocess.run("swift", ["build", "--package-path", repoRoot, "--show-bin-path"])
        let folder = shown?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? repoRoot + "/.build/debug"
        return folder + "/claimledger"
    }
}

/// Runs `body` with a new private directory, removed afterwards, so tests can run in parallel.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array((FileManager.default.temporaryDirectory.path + "/claimledger-test-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
    let path = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

enum Files {
    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func write(_ bytes: [UInt8], to path: String, mode: Int = 0o644) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    static func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func list(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// The lines of a text file, without their newlines.
    static func lines(_ path: String) throws -> [String] {
        String(decoding: try bytes(path), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func writeLines(_ lines: [String], to path: String) throws {
        try write(lines.map { $0 + "\n" }.joined(), to: path)
    }
}
