import LedgerCrypto

/// A set of `ClaimKey`s, each with its `ClaimFacts`: how a verification-only state remembers claims, in
/// little memory. An open-addressing table of 4-byte claim numbers (linear probing; at most 3/4 full,
/// doubling when an insert would pass that; `reserveCapacity` sizes it up front) over columns kept in
/// order of insertion, in chunks of `ClaimColumns.chunk` claims so that growing never copies them:
/// per claim its key (16 bytes), recorder and flags (4) and the number of its status record (4); per
/// claim with a status entry, a status record: the latest status entry's hash and signer (36 bytes), or,
/// in a set made with `taggingStatuses`, a 16-byte tag of the hash and the signer (20 bytes).
///
/// **Status tags.** FORMAT.md 8.7: the latest status hash is kept only to refuse a review that names
/// anything else (`stale-review`). A plain 16-byte truncation would not do: whoever writes a review
/// chooses its `status`, and can copy the first 16 bytes of the latest status hash and change the rest.
/// The tag is the first 16 bytes of SHA-256(0x01 ‖ salt ‖ hash) under a 32-byte salt drawn from the
/// system's random generator when the set is made, after the ledger was written and never shown: a
/// review naming another hash passes with probability 2^-128, whatever its writer computed. A tagging
/// set's `facts(of:)` returns the tag in `latestStatus` (then 16 zero bytes) with the flag
/// `.statusTagged`; `isLatestStatus(_:of:)` compares a hash with either form. Tagged facts cannot be
/// encoded (audit states need the hashes: a state to be saved keeps them whole).
///
/// Iteration order is the order of insertion; it visits every key exactly once.
public struct ClaimKeySet: Sendable, Sequence {
    /// Claim number + 1 per slot; 0 marks a free slot.
    private var table: [UInt32] = []
    private var columns: ClaimColumns
    /// The salt of status tags; nil when hashes are kept whole.
    private let salt: SHA256Digest?
    /// Keys in the set.
    public var count: Int { columns.count }

    /// A set that keeps latest status hashes whole, or (`taggingStatuses`) as keyed 16-byte tags.
    public init(taggingStatuses: Bool = false) {
        salt = taggingStatuses ? Self.randomSalt() : nil
        columns = ClaimColumns(wholeHashes: !taggingStatuses)
    }

    /// A set that holds `minimumCapacity` keys without growing its table.
    public init(minimumCapacity: Int, taggingStatuses: Bool = false) {
        self.init(taggingStatuses: taggingStatuses)
        reserveCapacity(minimumCapacity)
    }

    public var isEmpty: Bool { count == 0 }

    /// Whether latest status hashes are kept as tags (see above).
    public var tagsStatuses: Bool { salt != nil }

    /// Slots in the table (4 bytes each): for tests and memory estimates.
    public var slotCount: Int { table.count }

    /// The number of keys the set can hold without growing its table.
    public var capacity: Int { table.count / 4 * 3 }

    /// Makes room for `minimumCapacity` keys in all, so that inserting up to that many never grows the
    /// table. Never shrinks.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        // Smallest slot count whose 3/4 (rounded down as in `capacity`) holds the keys; a multiple of 4.
        let needed = (minimumCapacity + 2) / 3 * 4
        rehash(slotCount: Swift.max(needed, 16))
    }

    public func contains(_ key: ClaimKey) -> Bool {
        find(key).number != nil
    }

    /// The facts kept with `key`, nil when it is not in the set.
    public func facts(of key: ClaimKey) -> ClaimFacts? {
        find(key).number.map { columns.facts(of: $0) }
    }

    /// Replaces the facts of `key`, which must be in the set (otherwise nothing happens).
    public mutating func setFacts(_ facts: ClaimFacts, of key: ClaimKey) {
        guard let n = find(key).number else { return }
        columns.setFacts(stored(facts), of: n)
    }

    /// Whether `hash` is the latest status entry's hash that `facts` (from this set or elsewhere) hold.
    public func isLatestStatus(_ hash: SHA256Digest, of facts: ClaimFacts) -> Bool {
        guard facts.flags.contains(.statusTagged) else { return facts.latestStatus == hash }
        guard let salt, hash != .zero else { return false }
        return Self.tag(hash, salt: salt) == facts.latestStatus
    }

    /// Adds `key` with `facts`; true when it was not already in the set (then its facts are unchanged).
    @discardableResult
    public mutating func insert(_ key: ClaimKey, facts: ClaimFacts = .unknown) -> Bool {
        if find(key).number != nil { return false }
        if count + 1 > capacity { rehash(slotCount: Swift.max(table.count * 2, 16)) }
        let n = columns.append(key, stored(facts))
        let slot = find(key).slot
        table[slot] = UInt32(n + 1)
        return true
    }

    /// The facts as this set keeps them: the latest status hash as its tag in a tagging set.
    private func stored(_ facts: ClaimFacts) -> ClaimFacts {
        guard let salt, facts.latestStatus != .zero, !facts.flags.contains(.statusTagged) else { return facts }
        var f = facts
        f.latestStatus = Self.tag(facts.latestStatus, salt: salt)
        f.flags.insert(.statusTagged)
        return f
    }

    /// The slot holding `key` (with its claim number), or the free slot where it would go.
    private func find(_ key: ClaimKey) -> (slot: Int, number: Int?) {
        guard !table.isEmpty else { return (0, nil) }
        return table.withUnsafeBufferPointer { t in
            var i = Self.home(of: key, slotCount: t.count)
            while true {
                let v = t[i]
                if v == 0 { return (i, nil) }
                if columns.key(Int(v - 1)) == key { return (i, Int(v - 1)) }
                i += 1
                if i == t.count { i = 0 }
            }
        }
    }

    /// The first slot to probe. Claim keys are SHA-256 bits, but keys built by hand may not be, so both
    /// words are mixed (Fibonacci hashing) before the multiply-shift onto `0..<slotCount`.
    private static func home(of key: ClaimKey, slotCount: Int) -> Int {
        let mixed = (key.high ^ (key.low &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed.multipliedFullWidth(by: UInt64(slotCount)).high)
    }

    private mutating func rehash(slotCount: Int) {
        var fresh = [UInt32](repeating: 0, count: slotCount)
        fresh.withUnsafeMutableBufferPointer { t in
            for n in 0..<columns.count {
                var i = Self.home(of: columns.key(n), slotCount: slotCount)
                while t[i] != 0 {
                    i += 1
                    if i == slotCount { i = 0 }
                }
                t[i] = UInt32(n + 1)
            }
        }
        table = fresh
    }

    /// Empties the set and returns its keys with their facts, sorted by key with `areInIncreasingOrder`.
    /// A tagging set's facts hold tags, which cannot be saved: save from a set that keeps hashes.
    public mutating func removeAllWithFactsSorted(by areInIncreasingOrder: (ClaimKey, ClaimKey) -> Bool) -> [(ClaimKey, ClaimFacts)] {
        table = []
        var out = [(ClaimKey, ClaimFacts)]()
        out.reserveCapacity(count)
        columns.drain(withFacts: true) { key, facts in out.append((key, facts!)) }
        out.sort { areInIncreasingOrder($0.0, $1.0) }
        return out
    }

    /// Empties the set and returns its keys sorted by `areInIncreasingOrder`, freeing the columns as
    /// the keys are copied out.
    public mutating func removeAllSorted(by areInIncreasingOrder: (ClaimKey, ClaimKey) -> Bool) -> [ClaimKey] {
        table = []
        var keys = [ClaimKey]()
        keys.reserveCapacity(count)
        columns.drain(withFacts: false) { key, _ in keys.append(key) }
        keys.sort(by: areInIncreasingOrder)
        return keys
    }

    public func makeIterator() -> Iterator {
        Iterator(columns: columns)
    }

    public struct Iterator: IteratorProtocol {
        let columns: ClaimColumns
        var index = 0

        init(columns: ClaimColumns) {
            self.columns = columns
        }

        public mutating func next() -> ClaimKey? {
            guard index < columns.count else { return nil }
            defer { index += 1 }
            return columns.key(index)
        }
    }

    public var underestimatedCount: Int { count }

    // MARK: tags

    private static func randomSalt() -> SHA256Digest {
        var g = SystemRandomNumberGenerator()
        let words = (g.next() as UInt64, g.next() as UInt64, g.next() as UInt64, g.next() as UInt64)
        return withUnsafeBytes(of: words) { SHA256Digest(bytes: $0)! }
    }

    /// The first 16 bytes of SHA-256(0x01 ‖ salt ‖ hash), then 16 zero bytes.
    static func tag(_ hash: SHA256Digest, salt: SHA256Digest) -> SHA256Digest {
        let full = SHA256.hashChildren(salt, hash)
        return full.withUnsafeBytes { raw in
            let words = (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                         UInt64(0), UInt64(0))
            return withUnsafeBytes(of: words) { SHA256Digest(bytes: $0)! }
        }
    }
}
