import LedgerCrypto
import Merkle

/// Where the bytes of archived sources come from. The core does no I/O: storage implements this.
public protocol SourceArchive {
    /// The archived bytes whose SHA-256 should be `digest`, or nil when nothing is archived under it.
    /// The caller checks the digest; implementations return what they hold.
    func contents(of digest: SHA256Digest) throws(LedgerError) -> [UInt8]?
}

/// Who signed an entry, and which entry it is: what an auditor needs to find and check it.
public struct EntryRef: Sendable, Equatable {
    public let seq: Int
    public let hash: SHA256Digest
    public let signer: SHA256Digest
    public let time: Timestamp

    public init(seq: Int, hash: SHA256Digest, signer: SHA256Digest, time: Timestamp) {
        self.seq = seq
        self.hash = hash
        self.signer = signer
        self.time = time
    }
}

public struct KeyRecord: Sendable, Equatable {
    public let name: String
    public let publicKey: Ed25519PublicKey
    public let role: KeyPayload.Role
    public let added: Int
    public internal(set) var revoked: Int?

    public var keyID: SHA256Digest { publicKey.keyID }
}

public struct SourceRecord: Sendable, Equatable {
    public let payload: SourcePayload
    public let entry: EntryRef
    /// The current provenance: the latest provenance entry's, else the source entry's (FORMAT.md 5.10).
    public internal(set) var provenance: Provenance?
    /// The provenance entry that set `provenance`, when one did.
    public internal(set) var provenanceEntry: EntryRef?

    public init(payload: SourcePayload, entry: EntryRef, provenance: Provenance? = nil, provenanceEntry: EntryRef? = nil) {
        self.payload = payload
        self.entry = entry
        self.provenance = provenance ?? payload.provenance
        self.provenanceEntry = provenanceEntry
    }
}

public struct StatusRecord: Sendable, Equatable {
    public let payload: StatusPayload
    public let entry: EntryRef

    public init(payload: StatusPayload, entry: EntryRef) {
        self.payload = payload
        self.entry = entry
    }
}

public struct ClaimRecord: Sendable, Equatable {
    public let payload: ClaimPayload
    public let entry: EntryRef
    public internal(set) var history: [StatusRecord]
    /// Corrections and retractions, positions, links both ways and reviews, each in ledger order.
    public internal(set) var amends: [Recorded<AmendPayload>] = []
    public internal(set) var positions: [Recorded<PositionPayload>] = []
    public internal(set) var links: [Recorded<LinkPayload>] = []
    public internal(set) var linkedFrom: [Recorded<LinkPayload>] = []
    public internal(set) var reviews: [Recorded<ReviewPayload>] = []

    public init(payload: ClaimPayload, entry: EntryRef, history: [StatusRecord]) {
        self.payload = payload
        self.entry = entry
        self.history = history
    }

    public var id: String { payload.id }
    /// The latest status entry's status; `unverified` before any.
    public var status: ClaimStatus { history.last?.payload.status ?? .unverified }
}

/// The ledger replayed: the tail of the chain, the keys with their validity, the sources and the claims.
/// `apply` enforces every rule that involves more than one entry (FORMAT.md "Verification").
public struct LedgerState: Sendable {
    public internal(set) var size = 0
    public internal(set) var head = SHA256Digest.zero
    public internal(set) var lastTime: Timestamp?
    public internal(set) var origin: String?
    public internal(set) var keys: [SHA256Digest: KeyRecord] = [:]
    public internal(set) var keyOrder: [SHA256Digest] = []
    public internal(set) var sources: [SHA256Digest: SourceRecord] = [:]
    public internal(set) var sourceOrder: [SHA256Digest] = []
    public internal(set) var claims = ClaimRecords()
    public internal(set) var claimOrder: [String] = []
    /// The Merkle tree over the entries' hashes so far (RFC 6962), kept as its right edge.
    public internal(set) var tree = CompactTree()
    /// The hash of entry 0, which an auditor pins (`verify --genesis`).
    public internal(set) var genesisHash: SHA256Digest?
    /// Root-key changes waiting for a second root key, by the hash of the entry that proposed them.
    public internal(set) var pendingKeyChanges: [SHA256Digest: PendingKeyChange] = [:]
    /// What verification reports without failing (FORMAT.md 8.6): the first `LedgerLimits.maxWarningsKept`
    /// in full, and the seq of every one (ascending), so that they can be counted up to any entry.
    public internal(set) var warnings: [LedgerWarning] = []
    public internal(set) var warningSeqs: [Int] = []
    /// The verdict scale: each label's latest definition (FORMAT.md 5.6), and the labels in order of
    /// first definition.
    public internal(set) var scale: [String: ScaleDefinition] = [:]
    public internal(set) var scaleOrder: [String] = []
    /// `supersedes` links, from → to, by claim key (for the cycle rule of FORMAT.md 5.8).
    public internal(set) var supersedes: [ClaimKey: [ClaimKey]] = [:]
    /// Facts of claims held in `earlierClaims` that changed since this state was restored.
    public internal(set) var earlierFacts: [ClaimKey: ClaimFacts] = [:]

    /// False for a verification-only state: claims are kept as 128-bit keys of their ids, not records,
    /// so memory per claim is constant and small (for verifying very large ledgers).
    public let keepsRecords: Bool
    /// The claims' id keys, when records are not kept.
    public internal(set) var claimKeys = ClaimKeySet()
    /// Claims recorded before this state was restored, when records are not kept and the keys live
    /// elsewhere (a writers' index on disk): consulted after `claimKeys`.
    public var earlierClaims: (any ClaimKeyLookup)?
    /// When true, new claims are not added to `claimKeys`: whoever applies entries adds each claim to
    /// `earlierClaims` before the next entry is applied (a rebuild of the writers' index), so that
    /// memory does not grow with the ledger.
    public var earlierClaimsTrackNewClaims = false

    public init(keepingRecords: Bool = true) {
        keepsRecords = keepingRecords
    }

    /// Makes room for `count` claim keys in all (verification-only states), so that the key table does not
    /// grow, and so hold two tables at once, before it has that many. A no-op when new claims go to
    /// `earlierClaims` instead.
    /// With `taggingStatuses`, an empty key set becomes one that keeps latest status hashes as keyed tags
    /// (`ClaimKeySet`: less memory; the state's claim facts can then not be saved).
    public mutating func reserveClaimKeys(_ count: Int, taggingStatuses: Bool = false) {
        guard !keepsRecords && !earlierClaimsTrackNewClaims else { return }
        if taggingStatuses && claimKeys.isEmpty && !claimKeys.tagsStatuses { claimKeys = ClaimKeySet(taggingStatuses: true) }
        claimKeys.reserveCapacity(count)
    }

    /// Takes the claim keys out of a verification-only state (for writing them down): they are returned
    /// sorted and `claimKeys` is left empty. Reuses the set's storage when this state holds it alone.
    public mutating func removeClaimKeysSorted(by areInIncreasingOrder: (ClaimKey, ClaimKey) -> Bool) -> [ClaimKey] {
        claimKeys.removeAllSorted(by: areInIncreasingOrder)
    }

    /// The same, with each key's facts.
    public mutating func removeClaimKeysWithFactsSorted(by areInIncreasingOrder: (ClaimKey, ClaimKey) -> Bool) -> [(ClaimKey, ClaimFacts)] {
        claimKeys.removeAllWithFactsSorted(by: areInIncreasingOrder)
    }

    /// Whether a claim with this id was recorded.
    public func hasClaim(_ id: String) throws(LedgerError) -> Bool {
        if keepsRecords { return claims[id] != nil }
        let key = ClaimKey(id)
        if claimKeys.contains(key) { return true }
        return try earlierClaims?.contains(key) ?? false
    }

    /// MTH of all entries so far: the root a checkpoint of this state signs.
    public var rootHash: SHA256Digest { tree.rootHash }

    /// The key that may sign at this point, or the reason it may not.
    public func activeKey(_ id: SHA256Digest, for type: EntryType) throws(LedgerError) -> KeyRecord {
        guard let key = keys[id] else { throw LedgerError(.unknownSigner, "signer \(id.hex) is not a key of this ledger") }
        if let revoked = key.revoked {
            throw LedgerError(.revokedSigner, "signer \(id.hex) (\(key.name)) was revoked at entry \(revoked)")
        }
        if type == .key && key.role != .root {
            throw LedgerError(.unauthorizedSigner, "key entries must be signed by a root key; \(key.name) is a \(key.role.rawValue) key")
        }
        try Self.checkRole(key, for: type)
        return key
    }

    /// The key whose signature `e` must carry, once it may sign at this point: for a genesis entry, its own
    /// root key named by `signer`; otherwise an active key of the ledger (a root key for key entries).
    public func signingKey(for e: Entry) throws(LedgerError) -> Ed25519PublicKey {
        guard case .genesis(let g) = e.payload else { return try activeKey(e.signer, for: e.type).publicKey }
        let ids = g.keys.map(\.publicKey.keyID)
        guard Set(ids).count == ids.count else { throw LedgerError(.duplicateID, "genesis names the same key twice") }
        guard let own = g.keys.first(where: { $0.publicKey.keyID == e.signer }) else {
            throw LedgerError(.unknownSigner, "genesis must be signed by one of its root keys; signer \(e.signer.hex) is not")
        }
        return own.publicKey
    }

    /// Checks `signed` against the state and, when every rule holds, appends it. On error the state is unchanged.
    /// `signatureVerified` lets a caller that already verified the signature (for example on another thread) skip it.
    /// Returns the signer's key.
    @discardableResult
    public mutating func apply(_ signed: SignedEntry, archive: some SourceArchive, signatureVerified: Bool = false)
        throws(LedgerError) -> Ed25519PublicKey
    {
        let key: Ed25519PublicKey
        let facts: ClaimFactsUpdate?
        do throws(LedgerError) {
            key = try authorize(signed.entry)
            if !signatureVerified && !key.isValidSignature(signed.signature, for: signed.canonicalBytes) {
                throw LedgerError(.badSignature, "signature does not verify with signer \(signed.entry.signer.hex)")
            }
            try checkPayload(signed.entry, archive: archive)
            facts = try factsUpdate(after: signed)
            if let facts, earlierClaimsTrackNewClaims {
                try earlierClaims?.record(facts.key, facts: facts.facts, claimSeq: facts.isNew ? signed.entry.seq : nil)
            }
        } catch { throw error.at(seq: size) }
        commit(signed)
        if let facts { keep(facts) }
        return key
    }

    /// The first checks of FORMAT.md "Verification" that involve the chain: position (seq, prev, time,
    /// genesis only first), then the signer's authority. Returns the key the signature must verify with.
    public func authorize(_ e: Entry) throws(LedgerError) -> Ed25519PublicKey {
        do throws(LedgerError) {
            guard e.seq == size else { throw LedgerError(.seqMismatch, "seq is \(e.seq), want \(size)") }
            guard e.prev == head else { throw LedgerError(.prevMismatch, "prev is \(e.prev.hex), want \(head.hex)") }
            if let lastTime, e.time < lastTime {
                throw LedgerError(.timeBackwards, "time \(e.time) is before the previous entry's \(lastTime)")
            }
            guard (e.seq == 0) == (e.type == .genesis) else {
                throw LedgerError(.invalidEntry, e.seq == 0 ? "entry 0 must be the genesis entry, found \(e.type.rawValue)"
                                                            : "a genesis entry may only be entry 0")
            }
            return try signingKey(for: e)
        } catch { throw error.at(seq: size) }
    }

    private func checkPayload(_ e: Entry, archive: some SourceArchive) throws(LedgerError) {
        switch e.payload {
        case .genesis: break
        case .key(let change):
            try checkKeyChange(change, signer: e.signer)
        case .source(let s):
            if let old = sources[s.sha256] {
                throw LedgerError(.duplicateID, "source \(s.sha256.hex) was already recorded at entry \(old.entry.seq)")
            }
            guard let bytes = try archive.contents(of: s.sha256) else {
                throw LedgerError(.sourceMissing, "source \(s.sha256.hex) is not archived (sources/sha256/\(s.sha256.hex))")
            }
            let digest = bytes.withUnsafeBytes { SHA256.hash($0) }
            guard digest == s.sha256, bytes.count == s.size else {
                throw LedgerError(.sourceDigestMismatch,
                                  "archived source \(s.sha256.hex) has SHA-256 \(digest.hex) and \(bytes.count) bytes, want \(s.sha256.hex) and \(s.size)")
            }
        case .claim(let c):
            if try hasClaim(c.id) {
                let at = claims[c.id].map { " at entry \($0.entry.seq)" } ?? ""
                throw LedgerError(.duplicateID, "claim \(c.id) was already recorded\(at)")
            }
            try checkQuotes(c.quotes, field: "quotes", archive: archive)
        case .status(let s):
            guard try hasClaim(s.claim) else { throw LedgerError(.unknownClaim, "status names claim \(s.claim), which no earlier entry records") }
            for d in s.evidence where sources[d] == nil {
                throw LedgerError(.unknownSource, "evidence cites source \(d.hex), which no earlier entry records")
            }
            try checkStatusEditorial(s, archive: archive)
        default:
            try checkEditorial(e, archive: archive)
        }
    }

    private mutating func commit(_ signed: SignedEntry) {
        let e = signed.entry
        let ref = EntryRef(seq: e.seq, hash: signed.hash, signer: e.signer, time: e.time)
        switch e.payload {
        case .genesis(let g):
            origin = g.origin
            genesisHash = signed.hash
            for (i, k) in g.keys.enumerated() {
                addKey(KeyRecord(name: k.name, publicKey: k.publicKey, role: .root, added: 0), field: "payload.keys[\(i)].name")
            }
        case .key(let change):
            commitKeyChange(change, ref: ref)
        case .source(let s):
            sources[s.sha256] = SourceRecord(payload: s, entry: ref)
            sourceOrder.append(s.sha256)
        case .claim(let c):
            if keepsRecords {
                claims[c.id] = ClaimRecord(payload: c, entry: ref, history: [])
                claimOrder.append(c.id)
            }  // else `keep(_:)` records its key and facts
        case .status(let s):
            if keepsRecords { claims[s.claim]?.history.append(StatusRecord(payload: s, entry: ref)) }
        default:
            commitEditorial(e.payload, ref: ref)
        }
        noteMisleadingText(in: e.payload, seq: e.seq)
        size += 1
        tree.append(leafHash: signed.hash)
        head = signed.hash
        lastTime = e.time
    }

}
