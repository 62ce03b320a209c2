@testable import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `ClaimRecords`, the state's claims in shards: a dictionary's behaviour (count kept through every
/// kind of change) and a value's (a copy never sees the original's later changes, nor the reverse).
@Suite struct ClaimRecordsTests {
    static func record(_ f: LedgerFixture, _ id: String, seq: Int) -> ClaimRecord {
        ClaimRecord(payload: f.claimPayload(id: id), entry: EntryRef(seq: seq, hash: .zero, signer: .zero, time: Timestamp(secondsSinceEpoch: 0)),
                    history: [])
    }

    @Test func behavesAsADictionaryOfRecords() throws {
        let f = try LedgerFixture()
        var claims = ClaimRecords()
        #expect(claims.isEmpty)
        for i in 0..<3000 { claims["claim-\(i)"] = Self.record(f, "claim-\(i)", seq: i) }
        #expect(claims.count == 3000)
        #expect(claims["claim-2999"]?.entry.seq == 2999)
        #expect(claims["claim-3000"] == nil)
        claims["claim-7"] = Self.record(f, "claim-7", seq: 70)  // replacing is not adding
        #expect(claims.count == 3000 && claims["claim-7"]?.entry.seq == 70)
        claims["claim-8"] = nil
        claims["absent"] = nil
        #expect(claims.count == 2999)
        claims["absent"]?.history.append(StatusRecord(payload: StatusPayload(claim: "absent", status: .refuted, rationale: "r", evidence: []),
                                                      entry: Self.record(f, "absent", seq: 1).entry))
        #expect(claims["absent"] == nil && claims.count == 2999, "changing an absent claim in place adds nothing")
        let ids = Set(claims.values.map(\.payload.id))
        #expect(ids.count == 2999 && !ids.contains("claim-8") && ids.contains("claim-0"))
        // Every shard is used, none holds most of the claims.
        let sizes = Dictionary(grouping: ids, by: ClaimRecords.shard(of:)).values.map(\.count)
        #expect(sizes.count > ClaimRecords.shardCount / 2 && sizes.max()! < 30)
        // And within the shards, the leaves: 100,000 ids over 65,536 leaves, none crowded.
        let leaves = Dictionary(grouping: (0..<100_000).map { "bench-claim-\($0)" }, by: { id in
            let (s, l) = ClaimRecords.place(of: id)
            return s * ClaimRecords.leavesPerShard + l
        }).values.map(\.count)
        #expect(leaves.count > ClaimRecords.shardCount * ClaimRecords.leavesPerShard / 2 && leaves.max()! < 16)
    }

    @Test func aCopyIsIndependentOfTheOriginal() throws {
        let f = try LedgerFixture()
        var original = ClaimRecords()
        for i in 0..<500 { original["claim-\(i)"] = Self.record(f, "claim-\(i)", seq: i) }
        var copy = original
        let status = StatusRecord(payload: StatusPayload(claim: "claim-1", status: .refuted, rationale: "r", evidence: []),
                                  entry: Self.record(f, "claim-1", seq: 600).entry)
        copy["claim-1"]?.history.append(status)
        copy["claim-600"] = Self.record(f, "claim-600", seq: 600)
        copy["claim-2"] = nil
        #expect(original["claim-1"]?.history.isEmpty == true)
        #expect(original["claim-600"] == nil && original["claim-2"] != nil && original.count == 500)
        #expect(copy["claim-1"]?.history == [status] && copy.count == 500)
        original["claim-3"]?.history.append(status)
        #expect(copy["claim-3"]?.history.isEmpty == true)
    }
}
