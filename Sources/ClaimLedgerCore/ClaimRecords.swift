/// The claims' records by id, kept in shards that copy one at a time.
///
/// A `LedgerState` is a value: a copy that is then changed copies what it changes. With one dictionary
/// of every record, the first change to a copy copied every record: the server's view, which resumes
/// verification from the state its readers still hold, paid for 100,000 records on every append (about
/// 90 ms of a 110 ms write, `perf` of `claimledger serve`, PERFORMANCE.md). Here a change copies the
/// array of shard references and the one shard it touches (about `count / shardCount` records).
public struct ClaimRecords: Sendable {
    public static let shardCount = 1024
    private var shards: [[String: ClaimRecord]]
    /// How many claims are recorded.
    public private(set) var count = 0

    public init() {
        shards = Array(repeating: [:], count: Self.shardCount)
    }

    public var isEmpty: Bool { count == 0 }

    /// The record of claim `id`, nil when there is none.
    public subscript(id: String) -> ClaimRecord? {
        get { shards[Self.shard(of: id)][id] }
        set {
            let s = Self.shard(of: id)
            if let newValue {
                if shards[s].updateValue(newValue, forKey: id) == nil { count += 1 }
            } else if shards[s].removeValue(forKey: id) != nil {
                count -= 1
            }
        }
        _modify {
            let s = Self.shard(of: id)
            let had = shards[s].index(forKey: id) != nil
            yield &shards[s][id]
            let has = shards[s].index(forKey: id) != nil
            if had != has { count += has ? 1 : -1 }
        }
    }

    /// Every record, in no particular order (use the state's `claimOrder` for the ledger's order).
    public var values: some Sequence<ClaimRecord> {
        shards.lazy.flatMap { $0.values }
    }

    /// FNV-1a of the id's bytes: the same shard in every process (unlike `hashValue`), cheap for ids
    /// of at most 64 bytes.
    static func shard(of id: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash % UInt32(shardCount))
    }
}
