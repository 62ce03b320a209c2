import Foundation
import Testing

/// Cases an independent verifier written from FORMAT.md found: a torn last line longer than the line
/// limit is torn (2.5), not overlong; an archived source that is a symbolic link is unreadable (2.2).
@Suite struct AuditorFindingsTests {
    static let limit = 262_144

    @Test(arguments: [limit, limit + 1, 3 * limit])
    func aTornLastLineIsTornWhateverItsLength(_ length: Int) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let before = try Files.bytes(box.entriesPath)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: box.entriesPath))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([UInt8](repeating: UInt8(ascii: "x"), count: length)))
            try handle.close()
            let verify = try CLI.run(["verify", "--json", "--ledger", box.ledger])
            #expect(verify.status == 4, "\(verify)")
            #expect(try verify.json["code"] == "torn-line")
            #expect(try verify.json["entries"] == 2)
            let recovered = try box.expectSuccess(["recover", "--json", "--ledger", box.ledger]).json
            #expect(recovered["removedBytes"] == .number(Double(length)))
            #expect(try Files.bytes(box.entriesPath) == before)
            try box.expectSuccess(["verify", "--ledger", box.ledger])
        }
    }

    /// A complete line over the limit stays `line-too-long` (8.1, check 1): it is not a torn append.
    @Test func anOverlongCompleteLineIsStillLineTooLong() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: box.entriesPath))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([UInt8](repeating: UInt8(ascii: "x"), count: Self.limit + 1) + [0x0A]))
            try handle.close()
            let verify = try CLI.run(["verify", "--json", "--ledger", box.ledger])
            #expect(verify.status == 1, "\(verify)")
            #expect(try verify.json["code"] == "line-too-long")
            let recovered = try box.expectSuccess(["recover", "--json", "--ledger", box.ledger]).json
            #expect(recovered["removedBytes"] == 0)
        }
    }

    @Test func anArchivedSourceThatIsASymbolicLinkIsMissing() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.addArticle()
            let archived = box.archivePath + "/" + source
            let outside = dir + "/outside-copy"
            try FileManager.default.copyItem(atPath: archived, toPath: outside)
            try FileManager.default.removeItem(atPath: archived)
            try FileManager.default.createSymbolicLink(atPath: archived, withDestinationPath: outside)
            let verify = try CLI.run(["verify", "--json", "--ledger", box.ledger])
            #expect(verify.status == 1, "\(verify)")
            #expect(try verify.json["code"] == "source-missing")
            #expect(try verify.json["seq"] == 2)
            #expect(try verify.json["reason"]?.stringValue?.contains("symbolic link") == true, "\(verify)")
        }
    }
}
