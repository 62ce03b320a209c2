import Foundation
import Testing

/// Access to the data files in `Vectors/` (see Vectors/README.md for their provenance).
enum Vectors {
    static var directory: URL? {
        Bundle.module.url(forResource: "Vectors", withExtension: nil)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        let directory = try #require(directory)
        return Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// File names in `Vectors/` with the given prefix and suffix, sorted; empty if unreadable
    /// (tests that use this also assert the expected count).
    static func names(prefix: String = "", suffix: String) -> [String] {
        guard let path = directory?.path,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path)
        else { return [] }
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted()
    }

    /// Lines of "<16 hex digit IEEE 754 bit pattern> <expected text>".
    static func numberTable(_ name: String) throws -> [(bits: UInt64, expected: String)] {
        try text(name).split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            let bits = try #require(UInt64(fields[0], radix: 16), "bad line: \(line)")
            return (bits, String(fields[1]))
        }
    }
}
