@testable import ClaimLedgerStorage
import ClaimLedgerCore
import Foundation
import Glibc
import Testing

/// A buffering claim table writes its changed slots back by region, in runs that read the unchanged
/// slots between them (`ClaimTable.writeBack(region:)`): the file must end byte for byte as the same
/// changes written one slot at a time leave it, through growth and slots changed again after they were
/// written back.
@Suite("ClaimTable: write-back in runs")
struct ClaimTableWriteBackTests {
    /// The same changes, in the same order, to `table`: inserts that make it grow (2,048 to 65,536 slots), chained
    /// statuses and facts of earlier claims, some of them after their region was written back.
    static func change(_ table: ClaimTable, keys: [ClaimKey]) throws {
        for (i, k) in keys.enumerated() {
            try table.insert(k, claimSeq: 2 * i, facts: ClaimFacts(recorder: UInt32(i % 5)))
            if i % 3 == 0 { _ = try table.chain(k, seq: 2 * i + 1, status: .disputed) }
            if i % 7 == 0 && i >= 700 {  // a claim inserted long before: its slot was written back since
                let old = keys[i - 700]
                _ = try table.chain(old, seq: 2 * i + 1, status: .refuted)
                try table.record(old, facts: ClaimFacts(recorder: 9, flags: .corrected), claimSeq: nil)
            }
        }
    }

    static func keys(_ n: Int) -> [ClaimKey] {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<n).map { _ in ClaimKey(high: next(), low: next()) }
    }

    @Test("Buffered with a small budget (regions written back often, in runs) or a large one: the file equals one written slot by slot",
          arguments: [64, 4_096, 1 << 17])
    func runsEqualSlotBySlotWrites(budget: Int) throws {
        let dir = NSTemporaryDirectory() + "claimledger-wb-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keys = Self.keys(30_000)
        let plain = try ClaimTable(creating: dir + "/plain", roomFor: 1_000)
        try Self.change(plain, keys: keys)
        try plain.save()
        let buffered = try ClaimTable(creating: dir + "/buffered", roomFor: 1_000)
        try buffered.startBuffering(dirtySlots: budget)
        try Self.change(buffered, keys: keys)
        #expect(buffered.capacity == 65_536 && plain.capacity == 65_536, "grew to 16 regions")
        try buffered.save()
        #expect(try RelFiles.bytes(dir + "/buffered") == RelFiles.bytes(dir + "/plain"))
        let reopened = try #require(ClaimTable(path: dir + "/buffered", writable: false))
        for (i, k) in keys.enumerated() where i % 97 == 0 {
            let slot = try #require(try reopened.lookup(k))
            #expect(slot.claimSeq == 2 * i)
        }
    }
}
