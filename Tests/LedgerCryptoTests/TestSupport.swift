import Foundation
import Testing

/// Test vectors under Vectors/ (copied into the test bundle as a folder).
enum Vectors {
    static func url(_ name: String) throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Vectors/\(name)")
        #expect(FileManager.default.fileExists(atPath: url.path), "missing vector \(name)")
        return url
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func text(_ name: String) throws -> String { try String(decoding: data(name), as: UTF8.self) }

    static func json<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: data(name))
    }
}

extension Array where Element == UInt8 {
    /// Bytes from hex digits; fails the test on odd length or a non-hex digit.
    init(hex: String) throws {
        let digits = Array(hex.utf8)
        try #require(digits.count % 2 == 0, "odd hex length")
        self = try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
        }
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// The `openssl` command line tool, for interoperability checks; tests that need it are
/// skipped where it is not installed (libssl-dev alone does not provide it).
enum OpenSSLTool {
    static let isAvailable: Bool = (try? run(["version"]).status) == 0

    struct Output {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A temporary directory removed when the value is released (`openssl pkeyutl -rawin -in`
/// needs a regular file, not a pipe).
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("LedgerCryptoTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ bytes: some DataProtocol) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }
}
