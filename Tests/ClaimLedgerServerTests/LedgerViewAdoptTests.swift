import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import SignedNote
import Testing

/// The view takes the server's own appends without checking their signatures again, but only when the file
/// holds exactly those entries where the view's state ends; otherwise it verifies the file as usual.
@Suite("Ledger view adopting the writer's entries") struct LedgerViewAdoptTests {
    /// What the server's writer does after a durable batch: offer its entries, then refresh.
    static func refresh(_ view: LedgerView, offering entries: [SignedEntry]) throws -> ViewSnapshot {
        view.offer(entries)
        return try view.refresh()
    }

    func status(_ ledger: TestLedger, _ status: ClaimStatus, _ rationale: String) -> Draft {
        .status(StatusDraft(claim: "summit-claim", status: status, rationale: rationale, evidence: [ledger.sourceID]))
    }

    @Test func adoptedEntriesGiveTheStateThatVerificationGives() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let store = try LedgerStore.open(ledger.ledger)
            let (entries, _) = try store.append([status(ledger, .corroborated, "Several outlets report it."), status(ledger, .disputed, "One denies it.")],
                                                key: ledger.desk, time: TestLedger.time(30))
            let adopted = try Self.refresh(view, offering: entries)
            let verified = try LedgerView(directory: ledger.ledger).snapshot()
            #expect(adopted.state.size == 9 && adopted.failure == nil)
            #expect(adopted.state.size == verified.state.size && adopted.state.head == verified.state.head)
            #expect(adopted.state.rootHash == verified.state.rootHash && adopted.verifiedBytes == verified.verifiedBytes)
            #expect(adopted.state.claims["summit-claim"]?.status == .disputed)
            #expect(adopted.state.claims["summit-claim"]?.history.count == verified.state.claims["summit-claim"]?.history.count)
            // The pages read the adopted lines from the file where the view placed them.
            let page = view.pageLedger(adopted)
            #expect(try page.line?(8) == entries[1].line)
        }
    }

    @Test func entriesThatAreNotWhatTheFileHoldsAreVerifiedFromTheFile() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            // Entries signed in memory but never written, offered while the file holds other ones.
            let (unwritten, _) = try EntryAppender.append(
                [.status(StatusPayload(claim: "summit-claim", status: .refuted, rationale: "Never written.", evidence: [try #require(SHA256Digest(hex: ledger.sourceID))]))],
                to: before.state, key: ledger.desk, time: TestLedger.time(40), archive: try LedgerStore.open(ledger.ledger).archive)
            let (written, _) = try LedgerStore.open(ledger.ledger).append([status(ledger, .corroborated, "Several outlets report it.")],
                                                                         key: ledger.desk, time: TestLedger.time(30))
            let after = try Self.refresh(view, offering: unwritten)
            #expect(after.state.size == 8 && after.failure == nil)
            #expect(after.state.head == written[0].hash)
            #expect(after.state.claims["summit-claim"]?.status == .corroborated)
        }
    }

    @Test func aBadSignatureOnDiskIsFoundEvenWhenTheWriterOffersGoodEntries() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let (entries, _) = try LedgerStore.open(ledger.ledger).append([status(ledger, .corroborated, "Several outlets report it.")],
                                                                         key: ledger.desk, time: TestLedger.time(30))
            // The line's signature changed on disk after the append (one base64 character).
            let path = ledger.ledger + "/entries.jsonl"
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let lineStart = bytes.count - entries[0].line.count - 1
            let at = lineStart + (try #require(TestLedger.range(of: Array(#""signature":""#.utf8), in: entries[0].line))) + 16
            bytes[at] = bytes[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let after = try Self.refresh(view, offering: entries)
            #expect(after.state.size == 7, "the tampered line is not shown")
            #expect(after.failure != nil)
        }
    }

    /// What makes the fast path observable: a line whose signature is wrong, offered by "the writer" exactly as
    /// the file holds it, is taken without a signature check; a fresh view, which verifies, refuses it.
    @Test func theWritersOwnEntriesAreNotVerifiedTwice() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            let (signed, _) = try EntryAppender.append(
                [.status(StatusPayload(claim: "summit-claim", status: .refuted, rationale: "Bad signature.", evidence: [try #require(SHA256Digest(hex: ledger.sourceID))]))],
                to: before.state, key: ledger.desk, time: TestLedger.time(40), archive: try LedgerStore.open(ledger.ledger).archive)
            var line = signed[0].line
            let at = (try #require(TestLedger.range(of: Array(#""signature":""#.utf8), in: line))) + 16
            line[at] = line[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let forged = try SignedEntry.parse(line: line)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger.ledger + "/entries.jsonl"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line + [0x0A]))
            try handle.close()
            let adopted = try Self.refresh(view, offering: [forged])
            #expect(adopted.state.size == 8 && adopted.failure == nil)
            let report = try LedgerStore.open(ledger.ledger).verify().report
            #expect(report.failure?.code == .badSignature)
        }
    }

    /// Stores a checkpoint of the ledger as it is now, signed by its root key; returns its size.
    @discardableResult
    func storeCheckpoint(_ ledger: TestLedger) throws -> Int {
        let state = try LedgerStore.open(ledger.ledger).verifiedState()
        let origin = try #require(state.origin)
        let note = try Checkpoint(origin: origin, treeSize: Int64(state.size), rootHash: state.rootHash)
            .sign(signers: [try NoteSigner(name: origin, privateKey: ledger.root)])
        try CheckpointFiles(ledgerDirectory: ledger.ledger).store(note, size: state.size)
        return state.size
    }

    /// Dates the checkpoint directory's last change a minute back (or ahead): as if it changed long before
    /// the view looked at it (or just as it looked), so that its stamp is settled (or not).
    func settleCheckpoints(_ ledger: TestLedger, secondsAgo: Double = 60) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)],
                                              ofItemAtPath: ledger.ledger + "/checkpoints")
    }

    /// Changes a byte of the signature of the checkpoint of `size` in place: the file keeps its name, the
    /// directory its entries (and its stamp). Returns the note as it was.
    @discardableResult
    func damageInPlace(_ ledger: TestLedger, checkpoint size: Int) throws -> [UInt8] {
        let path = CheckpointFiles(ledgerDirectory: ledger.ledger).path(forSize: size)
        let note = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var damaged = note
        let at = damaged.count - 3
        damaged[at] = damaged[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(damaged))
        try handle.close()
        return note
    }

    /// A write does not verify the stored checkpoints again while their directory is unchanged: what they were
    /// checked against (the tree's first entries, the root keys active at their sizes) is the same after an
    /// append. Observable: a checkpoint file damaged in place (the directory unchanged) is not looked at by the
    /// write's snapshot; once the directory changes, the next refresh verifies the checkpoints and reports it.
    @Test func aWriteKeepsTheVerifiedCheckpointUntilTheCheckpointsChange() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let size = try storeCheckpoint(ledger)
            try settleCheckpoints(ledger)
            let view = try LedgerView(directory: ledger.ledger)
            #expect(try view.snapshot().checkpoint?.size == size)
            let note = try damageInPlace(ledger, checkpoint: size)

            let (entries, _) = try LedgerStore.open(ledger.ledger).append([status(ledger, .corroborated, "Several outlets report it.")],
                                                                         key: ledger.desk, time: TestLedger.time(30))
            let adopted = try Self.refresh(view, offering: entries)
            #expect(adopted.state.size == size + 1 && adopted.failure == nil)
            #expect(adopted.checkpoint?.size == size && adopted.checkpoint?.note == note, "the checkpoint was read again")

            let checkpoints = ledger.ledger + "/checkpoints"
            #expect(FileManager.default.createFile(atPath: checkpoints + "/.tmp-touch", contents: Data()))
            try FileManager.default.removeItem(atPath: checkpoints + "/.tmp-touch")
            let reverified = try view.refresh()
            #expect(reverified.failureCode == "checkpoint-rejected", "a changed checkpoint directory was not looked at")
        }
    }

    /// A checkpoint stored between two writes is in the snapshot of the second.
    @Test func aWriteAfterANewCheckpointShowsIt() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let first = try storeCheckpoint(ledger)
            let view = try LedgerView(directory: ledger.ledger)
            let store = try LedgerStore.open(ledger.ledger)
            let (one, _) = try store.append([status(ledger, .corroborated, "Several outlets report it.")], key: ledger.desk, time: TestLedger.time(30))
            #expect(try Self.refresh(view, offering: one).checkpoint?.size == first)
            let second = try storeCheckpoint(ledger)
            let (two, _) = try store.append([status(ledger, .disputed, "One denies it.")], key: ledger.desk, time: TestLedger.time(31))
            let after = try Self.refresh(view, offering: two)
            #expect(after.state.size == second + 1 && after.failure == nil)
            #expect(after.checkpoint?.size == second && after.checkpoint?.sizes == [first, second])
        }
    }

    /// A stamp read just as the checkpoint directory changed may miss a second change in the same clock tick (a
    /// new checkpoint's temporary file, then its rename): while it is unsettled, a write verifies the stored
    /// checkpoints again, as before, and finds what changed in place.
    @Test func aWriteVerifiesTheCheckpointsAgainWhileTheirStampIsUnsettled() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let size = try storeCheckpoint(ledger)
            try settleCheckpoints(ledger, secondsAgo: -60)  // changed "now" as far as any read can tell
            let view = try LedgerView(directory: ledger.ledger)
            #expect(try view.snapshot().checkpoint?.size == size)
            try damageInPlace(ledger, checkpoint: size)

            let (entries, _) = try LedgerStore.open(ledger.ledger).append([status(ledger, .corroborated, "Several outlets report it.")],
                                                                         key: ledger.desk, time: TestLedger.time(30))
            let adopted = try Self.refresh(view, offering: entries)
            #expect(adopted.state.size == size + 1)
            #expect(adopted.failureCode == "checkpoint-rejected", "an unsettled stamp was trusted")
        }
    }
}
