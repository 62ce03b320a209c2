import CanonicalJSON
import ClaimLedgerCore
import Testing

/// `ClaimKeySet`: the flat table that holds a verification-only state's claim keys.
@Suite struct ClaimKeySetTests {
    static func keys(_ n: Int, prefix: String = "claim-") -> [ClaimKey] {
        (0..<n).map { ClaimKey("\(prefix)\($0)") }
    }

    /// A key from two words written as hex, so that tests can pick keys that are alike.
    static func key(_ high: UInt64, _ low: UInt64) -> ClaimKey {
        let h = String(high, radix: 16), l = String(low, radix: 16)
        return ClaimKey(hex: String(repeating: "0", count: 16 - h.count) + h + String(repeating: "0", count: 16 - l.count) + l)!
    }

    @Test("insert and contains agree with Set, and a repeated insert is refused")
    func insertAndContains() {
        var set = ClaimKeySet()
        #expect(set.isEmpty && !set.contains(ClaimKey("a")))
        let keys = Self.keys(1000)
        for k in keys {
            let added = set.insert(k)
            #expect(added)
        }
        for k in keys {
            let added = set.insert(k)
            #expect(!added)
        }
        #expect(set.count == 1000)
        for k in keys { #expect(set.contains(k)) }
        for k in Self.keys(1000, prefix: "other-") { #expect(!set.contains(k)) }
    }

    @Test("grows by doubling past 3/4 load, keeping every key")
    func growth() {
        var set = ClaimKeySet()
        var slotCounts = [Int]()
        let keys = Self.keys(5000)
        for (i, k) in keys.enumerated() {
            set.insert(k)
            if slotCounts.last != set.slotCount { slotCounts.append(set.slotCount) }
            #expect(set.count * 4 <= set.slotCount * 3, "load above 3/4 after \(i + 1) keys")
        }
        #expect(slotCounts.first == 16)
        #expect(zip(slotCounts, slotCounts.dropFirst()).allSatisfy { $1 == 2 * $0 }, "\(slotCounts)")
        #expect(keys.allSatisfy(set.contains))
        #expect(set.count == 5000)
    }

    @Test("a reserved set never grows before it holds what was reserved")
    func reserved() {
        for n in [1, 11, 12, 13, 1000, 4097] {
            var set = ClaimKeySet(minimumCapacity: n)
            let slots = set.slotCount
            #expect(set.capacity >= n && slots * 3 / 4 >= n)
            for k in Self.keys(n) { set.insert(k) }
            #expect(set.slotCount == slots, "grew before \(n) keys")
            set.reserveCapacity(n / 2)
            #expect(set.slotCount == slots, "reserveCapacity shrank")
        }
    }

    @Test("keys that agree in one word, small values and the all-zero key collide without loss")
    func collisions() {
        var set = ClaimKeySet()
        var keys = [ClaimKey]()
        for i in 0..<64 as Range<UInt64> {
            keys += [Self.key(0, i), Self.key(i, 0), Self.key(7, i), Self.key(i, 7), Self.key(i, i)]
        }
        let distinct = Set(keys.map(\.hex)).count
        for k in keys { set.insert(k) }
        #expect(set.count == distinct)
        #expect(keys.allSatisfy(set.contains))
        #expect(set.contains(Self.key(0, 0)))
        #expect(!set.contains(Self.key(64, 64)) && !set.contains(Self.key(0, 64)))
        // A full small table: every probe sequence wraps around slot 0.
        var small = ClaimKeySet()
        let twelve = Self.keys(12)
        for k in twelve { small.insert(k) }
        #expect(small.slotCount == 16 && small.count == 12)
        #expect(twelve.allSatisfy(small.contains))
        #expect(!Self.keys(200, prefix: "absent-").contains(where: small.contains))
    }

    @Test("iteration visits every key exactly once, the all-zero key included")
    func sequence() {
        var set = ClaimKeySet()
        #expect(Array(set).isEmpty)
        let keys = Self.keys(300) + [Self.key(0, 0)]
        for k in keys { set.insert(k) }
        let visited = Array(set)
        #expect(visited.count == keys.count && set.underestimatedCount == keys.count)
        #expect(Set(visited.map(\.hex)) == Set(keys.map(\.hex)))
    }

    @Test("a verification-only snapshot lists claim keys sorted and restores the same set")
    func snapshotRoundTrip() throws {
        let f = try LedgerFixture()
        var verifier = LedgerVerifier(archive: f.archive, keepingRecords: false)
        for e in f.entries { verifier.verify(line: e.line) }
        let state = verifier.state
        #expect(verifier.failure == nil && !state.claimKeys.isEmpty)
        let listed = try #require(state.snapshot()["claimKeys"]?.arrayValue).compactMap(\.stringValue)
        #expect(listed == state.claimKeys.map(\.hex).sorted())
        let restored = try LedgerState(snapshot: state.snapshot())
        #expect(restored.claimKeys.count == state.claimKeys.count)
        #expect(state.claimKeys.allSatisfy(restored.claimKeys.contains))
        #expect(JCS.canonicalizeOrNil(restored.snapshot()) == JCS.canonicalizeOrNil(state.snapshot()))
    }
}

extension JCS {
    static func canonicalizeOrNil(_ value: JSONValue) -> [UInt8]? { try? canonicalize(value) }
}
