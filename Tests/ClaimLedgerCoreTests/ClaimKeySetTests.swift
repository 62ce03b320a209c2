import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
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

    /// Facts with every field set from `i`: a status for two claims in three, flags cycling.
    static func facts(_ i: Int) -> ClaimFacts {
        var f = ClaimFacts(recorder: UInt32(i % 7), flags: ClaimFacts.Flags(rawValue: UInt8(i % 8) & 3))
        if i % 3 != 0 { f.noteStatus(SHA256.hash(Array("status-\(i)".utf8)), signer: UInt32(i % 5)) }
        if i % 11 == 0 { f = .unknown }
        return f
    }

    @Test("a set that keeps hashes returns each key's facts as set, across chunks and after updates")
    func factsKept() {
        var set = ClaimKeySet()
        let keys = Self.keys(70_000)
        for (i, k) in keys.enumerated() { set.insert(k, facts: Self.facts(i)) }
        for i in stride(from: 0, to: keys.count, by: 3) { set.setFacts(Self.facts(i + 1), of: keys[i]) }
        for (i, k) in keys.enumerated() {
            #expect(set.facts(of: k) == Self.facts(i % 3 == 0 ? i + 1 : i), "claim \(i)")
        }
        #expect(set.facts(of: ClaimKey("absent")) == nil)
        let sorted = set.removeAllWithFactsSorted { ($0.high, $0.low) < ($1.high, $1.low) }
        #expect(sorted.count == keys.count && set.isEmpty && !set.contains(keys[0]))
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { ($0.0.high, $0.0.low) < ($1.0.high, $1.0.low) })
    }

    @Test("a tagging set keeps every fact but the hash, which only its own hash matches")
    func factsTagged() {
        var set = ClaimKeySet(taggingStatuses: true), plain = ClaimKeySet()
        let keys = Self.keys(3000)
        for (i, k) in keys.enumerated() {
            set.insert(k, facts: Self.facts(i))
            plain.insert(k, facts: Self.facts(i))
        }
        for (i, k) in keys.enumerated() {
            let want = Self.facts(i), got = set.facts(of: k)!
            #expect(got.recorder == want.recorder && got.statusSigner == want.statusSigner && got.hasStatus == want.hasStatus)
            #expect(got.flags.subtracting(.statusTagged) == want.flags && got.flags.contains(.statusTagged) == want.hasStatus)
            guard want.hasStatus else { continue }
            #expect(set.isLatestStatus(want.latestStatus, of: got) && plain.isLatestStatus(want.latestStatus, of: plain.facts(of: k)!))
            // The same first 16 bytes, or another claim's hash, do not match.
            let nearMiss = want.latestStatus.withUnsafeBytes { raw in SHA256Digest(bytes: Array(raw[0..<16]) + raw[16...].map { $0 ^ 1 })! }
            #expect(!set.isLatestStatus(nearMiss, of: got) && !set.isLatestStatus(Self.facts(i + 1).latestStatus, of: got))
            #expect(!set.isLatestStatus(got.latestStatus, of: got))
            // A new status replaces the tag; an amend keeps it.
            var amended = got
            amended.noteAmend(retract: true)
            set.setFacts(amended, of: k)
            #expect(set.isLatestStatus(want.latestStatus, of: set.facts(of: k)!) && set.facts(of: k)!.isRetracted)
            var next = got
            next.noteStatus(nearMiss, signer: 9)
            #expect(!next.flags.contains(.statusTagged))
            set.setFacts(next, of: k)
            #expect(set.isLatestStatus(nearMiss, of: set.facts(of: k)!) && !set.isLatestStatus(want.latestStatus, of: set.facts(of: k)!))
        }
        // Each set draws its own salt: the same hash gets another tag.
        var one = ClaimKeySet(taggingStatuses: true), two = ClaimKeySet(taggingStatuses: true)
        one.insert(keys[1], facts: Self.facts(1))
        two.insert(keys[1], facts: Self.facts(1))
        #expect(one.facts(of: keys[1])!.latestStatus != two.facts(of: keys[1])!.latestStatus)
        #expect(!two.isLatestStatus(Self.facts(1).latestStatus, of: one.facts(of: keys[1])!))
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
