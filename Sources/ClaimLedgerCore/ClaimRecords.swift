/// The claims' records by id, kept in a two-level tree of small dictionaries that copy one at a time.
///
/// A `LedgerState` is a value: a copy that is then changed copies what it changes. With one dictionary
/// of every record, the first change to a copy copied every record: the server's view, which resumes
/// verification from the state its readers still hold, paid for 100,000 records on every append (about
/// 90 ms of a 110 ms write, `perf` of `claimledger serve`, PERFORMANCE.md). With 1,024 dictionaries, it
/// still copied about 100 records per claim changed (5.6% of the server's CPU under 32 writers). Here a
/// change copies the array of shards (1,024 references), the touched shard's leaves (64 references) and
/// one leaf: about `count / 65,536` records (1.5 at 100,000 claims, 15 at 1,000,000).
public struct ClaimRecords: Sendable {
    public static let shardCount = 1024
    public static let leavesPerShard = 64
    private var shards: [[[String: ClaimRecord]]]
    /// How many claims are recorded.
    public private(set) var count = 0

    public init() {
        shards = Array(repeating: Array(repeating: [:], count: Self.leavesPerShard), count: Self.shardCount)
    }

    public var isEmpty: Bool { count == 0 }

    /// The record of claim `id`, nil when there is none.
    public subscript(id: String) -> ClaimRecord? {
        get {
            let (s, l) = Self.place(of: id)
            return shards[s][l][id]
        }
        set {
            let (s, l) = Self.place(of: id)
            if let newValue {
                if shards[s][l].updateValue(newValue, forKey: id) == nil { count += 1 }
            } else if shards[s][l].removeValue(forKey: id) != nil {
                count -= 1
            }
        }
        _modify {
            let (s, l) = Self.place(of: id)
            let had = shards[s][l].index(forKey: id) != nil
            yield &shards[s][l][id]
            let has = shards[s][l].index(forKey: id) != nil
            if had != has { count += has ? 1 : -1 }
        }
    }

    /// Every record, in no particular order (use the state's `claimOrder` for the ledger's order).
    public var values: some Sequence<ClaimRecord> {
        shards.lazy.flatMap { $0.lazy.flatMap { $0.values } }
    }

    /// The shard of claim `id` (0 ..< shardCount).
    static func shard(of id: String) -> Int { place(of: id).shard }

    /// Where claim `id` is kept: FNV-1a of the id's bytes (the same place in every process, unlike
    /// `hashValue`; cheap for ids of at most 64 bytes), its low 10 bits for the shard, the next 6 for the leaf.
    static func place(of id: String) -> (shard: Int, leaf: Int) {
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return (Int(hash % UInt32(shardCount)), Int((hash / UInt32(shardCount)) % UInt32(leavesPerShard)))
    }
}
