import CanonicalJSON
import ClaimLedgerStorage
import Foundation
import Testing

/// One way to tamper with a populated sandbox ledger (see `Sandbox.populate`: 2 source, 3 claim,
/// 4 status disputed, 5 claim, 6 status), and where `verify` must find it.
enum Tampering: String, CaseIterable, Sendable {
    case changedLetterInAStatement, rewrittenStatus, deletedLine, swappedLines, duplicatedLine
    case otherKeysValidSignature, alteredArchivedSource, deletedArchivedSource

    var expected: (seq: Int, code: String) {
        switch self {
        case .changedLetterInAStatement: (3, "hash-mismatch")
        case .rewrittenStatus: (4, "hash-mismatch")
        case .deletedLine: (3, "seq-mismatch")
        case .swappedLines: (3, "seq-mismatch")
        case .duplicatedLine: (4, "seq-mismatch")
        case .otherKeysValidSignature: (3, "bad-signature")
        case .alteredArchivedSource: (2, "source-digest-mismatch")
        case .deletedArchivedSource: (2, "source-missing")
        }
    }

    func apply(to box: Sandbox, source: String) throws {
        var lines = try box.lines()
        let archived = box.archivePath + "/" + source
        switch self {
        case .changedLetterInAStatement:
            lines[3] = try #require(lines[3].replacingFirst("accused Ukraine", with: "accused Ukrainf"))
        case .rewrittenStatus:
            lines[4] = try #require(lines[4].replacingFirst(#""status":"disputed""#, with: #""status":"refuted""#))
        case .deletedLine:
            lines.remove(at: 3)
        case .swappedLines:
            lines.swapAt(3, 4)
        case .duplicatedLine:
            lines.insert(lines[3], at: 4)
        case .otherKeysValidSignature:
            lines[3] = try OpenSSLEntry(line: lines[3]).resigned(with: try KeyFiles.loadPrivateKey(box.rootKey))
        case .alteredArchivedSource:
            var bytes = try Files.bytes(archived)
            bytes[10] ^= 0x20
            try FileManager.default.removeItem(atPath: archived)
            try Files.write(bytes, to: archived)
        case .deletedArchivedSource:
            try FileManager.default.removeItem(atPath: archived)
        }
        try Files.writeLines(lines, to: box.entriesPath)
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced, or nil when absent.
    func replacingFirst(_ target: String, with replacement: String) -> String? {
        guard let range = range(of: target) else { return nil }
        return replacingCharacters(in: range, with: replacement)
    }
}

@Suite struct TamperTests {
    @Test(arguments: Tampering.allCases)
    func verifyFindsTamperingAtTheRightEntry(_ tampering: Tampering) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            try tampering.apply(to: box, source: source)
            let (status, report) = try box.verifyJSON()
            #expect(status == 1)
            #expect(report["ok"] == false)
            #expect(report["seq"] == .number(Double(tampering.expected.seq)), "\(report)")
            #expect(report["code"] == .string(tampering.expected.code), "\(report)")
            #expect(report["entries"] == .number(Double(tampering.expected.seq)))

            let human = try CLI.run(["verify", "--ledger", box.ledger])
            expectOneLineError(human, exit: 1, mentioning: ["entry \(tampering.expected.seq)", tampering.expected.code])
            // Commands that read the whole ledger refuse it too.
            _ = try expectRefused(box, 1, mentioning: [tampering.expected.code]) { try CLI.run(["export", "--ledger", box.ledger]) }
        }
    }

    /// "The ledger must verify before anything is appended" (LedgerStore.append): an append on top of
    /// a tampered ledger would extend a chain that no longer verifies.
    @Test(arguments: Tampering.allCases)
    func appendRefusesATamperedLedger(_ tampering: Tampering) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            try tampering.apply(to: box, source: source)
            _ = try expectRefused(box, 1, mentioning: [tampering.expected.code]) {
                try box.desk(["claim", "status", "summit-claim", "refuted", "--rationale", "Written on a tampered ledger."])
            }
        }
    }

    @Test func truncatedLastLineIsTornAndRecoverRemovesIt() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let bytes = try box.entries()
            let lastLine = try #require(try box.lines().last)
            let cut = bytes.count - lastLine.utf8.count / 2
            try FileHandle(forWritingTo: URL(fileURLWithPath: box.entriesPath)).truncate(atOffset: UInt64(cut))

            let (status, report) = try box.verifyJSON()
            #expect(status == 4)
            #expect(report["code"] == "torn-line")
            #expect(report["seq"] == 6)
            #expect(report["entries"] == 6)
            let human = try CLI.run(["verify", "--ledger", box.ledger])
            expectOneLineError(human, exit: 4, mentioning: ["recover"])
            _ = try expectRefused(box, 4) {
                try box.desk(["claim", "status", "summit-claim", "refuted", "--rationale", "Written on a torn ledger."])
            }

            let dryRun = try box.expectSuccess(["recover", "--dry-run", "--ledger", box.ledger])
            #expect(dryRun.stdout.hasPrefix("Would remove"))
            #expect(try box.entries().count == cut)
            let recovered = try box.expectSuccess(["recover", "--json", "--ledger", box.ledger]).json
            #expect(recovered["removedBytes"] == .number(Double(cut - (bytes.count - lastLine.utf8.count - 1))))
            #expect(recovered["entries"] == 6)
            #expect(try box.entries() == Array(bytes.prefix(bytes.count - lastLine.utf8.count - 1)))
            let (after, afterReport) = try box.verifyJSON()
            #expect(after == 0)
            #expect(afterReport["ok"] == true && afterReport["entries"] == 6)
            let nothing = try box.expectSuccess(["recover", "--ledger", box.ledger])
            #expect(nothing.stdout.hasPrefix("Nothing to recover"))
        }
    }

    @Test func emptyEntriesFileDoesNotVerify() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try Files.write("", to: box.entriesPath)
            let (status, report) = try box.verifyJSON()
            #expect(status == 1)
            #expect(report["code"] == "empty")
        }
    }
}
