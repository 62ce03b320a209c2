import LedgerCrypto

/// Claim keys recorded outside a `LedgerState` (storage implements it; the core does no I/O).
///
/// Conformers are classes: a state holding a class existential is loadable, so that the state's
/// non-mutating checks called from `apply` borrow it with a plain copy of its bytes, where an opaque
/// existential made the compiler copy (retain and release) every field of the state for each call.
public protocol ClaimKeyLookup: AnyObject, Sendable {
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
