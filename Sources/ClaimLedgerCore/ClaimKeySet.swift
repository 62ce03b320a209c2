import LedgerCrypto

/// A set of `ClaimKey`s, each with its `ClaimFacts`, in one flat open-addressing table: 16 bytes of key
/// and 48 of facts per slot (two parallel arrays), no allocation per key, linear probing. It holds at most 3/4 of its slots and doubles when an insert would pass that;
/// `reserveCapacity` sizes it up front so that a verification of known size never has to grow
/// (growing holds the old and the new table at once).
///
/// Iteration order is the table's and unspecified; it visits every key exactly once.
public struct ClaimKeySet: Sendable, Sequence {
    /// The table; `ClaimKey.empty` marks a free slot. The key equal to it is kept in `hasEmptyKey`.
    private var slots: [ClaimKey] = []
    /// The facts of the key in the same slot.
    private var values: [ClaimFacts] = []
    private var hasEmptyKey = false
    private var emptyKeyFacts = ClaimFacts.unknown
    /// Keys in the set.
    public private(set) var count = 0

    public init() {}

    /// A set that holds `minimumCapacity` keys without growing.
    public init(minimumCapacity: Int) {
        reserveCapacity(minimumCapacity)
    }

    public var isEmpty: Bool { count == 0 }

    /// Slots in the table (16 bytes each): for tests and memory estimates.
    public var slotCount: Int { slots.count }

    /// The number of keys the set can hold without growing.
    public var capacity: Int { slots.count / 4 * 3 }

    /// Makes room for `minimumCapacity` keys in all, so that inserting up to that many never grows the
    /// table. Never shrinks.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        // Smallest slot count whose 3/4 (rounded down as in `capacity`) holds the keys; a multiple of 4.
        let needed = (minimumCapacity + 2) / 3 * 4
        rehash(slotCount: Swift.max(needed, 16))
    }

    public func contains(_ key: ClaimKey) -> Bool {
        if key == .empty { return hasEmptyKey }
        return slotIndex(of: key) != nil
    }

    /// The facts kept with `key`, nil when it is not in the set.
    public func facts(of key: ClaimKey) -> ClaimFacts? {
        if key == .empty { return hasEmptyKey ? emptyKeyFacts : nil }
        return slotIndex(of: key).map { values[$0] }
    }

    /// Replaces the facts of `key`, which must be in the set (otherwise nothing happens).
    public mutating func setFacts(_ facts: ClaimFacts, of key: ClaimKey) {
        if key == .empty {
            if hasEmptyKey { emptyKeyFacts = facts }
        } else if let i = slotIndex(of: key) {
            values[i] = facts
        }
    }

    private func slotIndex(of key: ClaimKey) -> Int? {
        guard !slots.isEmpty else { return nil }
        return slots.withUnsafeBufferPointer { table in
            var i = Self.home(of: key, slotCount: table.count)
            while true {
                let slot = table[i]
                if slot == key { return i }
                if slot == .empty { return nil }
                i += 1
                if i == table.count { i = 0 }
            }
        }
    }

    /// Adds `key` with `facts`; true when it was not already in the set (then its facts are unchanged).
    @discardableResult
    public mutating func insert(_ key: ClaimKey, facts: ClaimFacts = .unknown) -> Bool {
        if key == .empty {
            if hasEmptyKey { return false }
            hasEmptyKey = true
            emptyKeyFacts = facts
            count += 1
            return true
        }
        if count + 1 > capacity { rehash(slotCount: Swift.max(slots.count * 2, 16)) }
        let added = Self.place(key, facts, in: &slots, &values)
        if added { count += 1 }
        return added
    }

    /// Puts `key` (not `.empty`) in its probe sequence; false when it is already there. The table has a free slot.
    private static func place(_ key: ClaimKey, _ facts: ClaimFacts, in slots: inout [ClaimKey], _ values: inout [ClaimFacts]) -> Bool {
        let at: Int? = slots.withUnsafeMutableBufferPointer { table in
            var i = home(of: key, slotCount: table.count)
            while true {
                let slot = table[i]
                if slot == key { return nil }
                if slot == .empty {
                    table[i] = key
                    return i
                }
                i += 1
                if i == table.count { i = 0 }
            }
        }
        guard let at else { return false }
        values[at] = facts
        return true
    }

    /// The first slot to probe. Claim keys are SHA-256 bits, but keys built by hand may not be, so both
    /// words are mixed (Fibonacci hashing) before the multiply-shift onto `0..<slotCount`.
    private static func home(of key: ClaimKey, slotCount: Int) -> Int {
        let mixed = (key.high ^ (key.low &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed.multipliedFullWidth(by: UInt64(slotCount)).high)
    }

    private mutating func rehash(slotCount: Int) {
        var table = [ClaimKey](repeating: .empty, count: slotCount)
        var facts = [ClaimFacts](repeating: .unknown, count: slotCount)
        for (i, key) in slots.enumerated() where key != .empty { _ = Self.place(key, values[i], in: &table, &facts) }
        slots = table
        values = facts
    }

    /// Empties the set and returns its keys with their facts, sorted by key with `areInIncreasingOrder`.
    public mutating func removeAllWithFactsSorted(by areInIncreasingOrder: (ClaimKey, ClaimKey) -> Bool) -> [(ClaimKey, ClaimFacts)] {
        var out = [(ClaimKey, ClaimFacts)]()
        out.reserveCapacity(count)
        for (i, key) in slots.enumerated() where key != .empty { out.append((key, values[i])) }
        if hasEmptyKey { out.append((.empty, emptyKeyFacts)) }
        slots = []
        values = []
        hasEmptyKey = false
        count = 0
        out.sort { areInIncreasingOrder($0.0, $1.0) }
        return out
    }

    /// Empties the set and returns its keys sorted by `areInIncreasingOrder`, reusing the table's own
    /// storage when the set holds it alone (no second copy of the keys).
    public mutating func removeAllSorted(by areInIncreasingOrder: (ClaimKey, ClaimKey) -> Bool) -> [ClaimKey] {
        var keys = slots
        slots = []
        var n = 0
        keys.withUnsafeMutableBufferPointer { table in
            for i in table.indices where table[i] != .empty {
                table[n] = table[i]
                n += 1
            }
        }
        keys.removeLast(keys.count - n)
        values = []
        if hasEmptyKey { keys.append(.empty) }
        hasEmptyKey = false
        count = 0
        keys.sort(by: areInIncreasingOrder)
        return keys
    }

    public func makeIterator() -> Iterator {
        Iterator(slots: slots, pendingEmptyKey: hasEmptyKey)
    }

    public struct Iterator: IteratorProtocol {
        let slots: [ClaimKey]
        var pendingEmptyKey: Bool
        var index = 0

        init(slots: [ClaimKey], pendingEmptyKey: Bool) {
            self.slots = slots
            self.pendingEmptyKey = pendingEmptyKey
        }

        public mutating func next() -> ClaimKey? {
            if pendingEmptyKey {
                pendingEmptyKey = false
                return .empty
            }
            while index < slots.count {
                let key = slots[index]
                index += 1
                if key != .empty { return key }
            }
            return nil
        }
    }

    public var underestimatedCount: Int { count }
}

extension ClaimKey {
    /// All-zero bits: the free-slot marker of `ClaimKeySet` (a real claim key only with probability 2^-128).
    static let empty = ClaimKey(high: 0, low: 0)
}

/// Claim keys recorded outside a `LedgerState` (storage implements it; the core does no I/O).
public protocol ClaimKeyLookup: Sendable {
    func contains(_ key: ClaimKey) throws(LedgerError) -> Bool
    /// The facts kept with `key`, nil when it is not recorded here (`ClaimFacts.unknown` when the
    /// store predates them).
    func facts(of key: ClaimKey) throws(LedgerError) -> ClaimFacts?
    /// Records the facts of `key` (with its claim entry's seq when the claim is new). Called by a state
    /// whose new claims are tracked here (`earlierClaimsTrackNewClaims`), before the entry is committed.
    func record(_ key: ClaimKey, facts: ClaimFacts, claimSeq: Int?) throws(LedgerError)
}

extension ClaimKeyLookup {
    public func record(_ key: ClaimKey, facts: ClaimFacts, claimSeq: Int?) throws(LedgerError) {
        throw LedgerError(.invalidInput, "this claim store cannot record claims")
    }
}

/// The first 128 bits of SHA-256 of a claim id: how a verification-only state remembers claims.
/// Finding two ids with the same key takes about 2^64 work.
public struct ClaimKey: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(_ id: String) {
        let d = SHA256.hash(Array(id.utf8))
        (high, low) = d.withUnsafeBytes { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// 32 lower-case hex digits (snapshots).
    public var hex: String {
        let h = String(UInt64(bigEndian: high), radix: 16), l = String(UInt64(bigEndian: low), radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h + String(repeating: "0", count: 16 - l.count) + l
    }

    public init?(hex: String) {
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let h = UInt64(hex.prefix(16), radix: 16), let l = UInt64(hex.suffix(16), radix: 16) else { return nil }
        self.init(high: h.bigEndian, low: l.bigEndian)
    }
}
