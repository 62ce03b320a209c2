import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// The read-only file the server's view reads verified lines through: exact reads, or an error.
@Suite("Read-only file") struct ReadOnlyFileTests {
    @Test func readsExactlyWhatWasAskedOrFails() throws {
        let path = NSTemporaryDirectory() + "/read-only-file-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(path) }
        let bytes = Array("{\"entry\":1}\n{\"entry\":2}\n".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let file = try ReadOnlyFile(path: path)
        #expect(try file.read(at: 12, count: 12) == Array(bytes[12..<24]))
        #expect(try ReadOnlyFile.read(path, at: 0, count: 12) == Array(bytes[0..<12]))
        // A read past the end is an error, not fewer bytes: a line the view believes verified is whole.
        #expect(throws: StoreError.self) { try file.read(at: 20, count: 8) }
        var st = stat()
        #expect(stat(path, &st) == 0 && file.identity == FileIdentity(st))
        #expect(throws: StoreError.self) { try ReadOnlyFile(path: path + "-missing") }
    }
}
