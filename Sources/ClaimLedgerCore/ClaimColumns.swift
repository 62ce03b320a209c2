import LedgerCrypto

/// The columns of a `ClaimKeySet`: per claim, in order of insertion, its key, its recorder with its
/// flags, and the number of its status record; per status record, the latest status hash (or its tag)
/// and signer. Each column is a list of chunks of `chunk` values, reserved whole when started (the
/// pages of a chunk are touched only as it fills), so that growing never copies a column and never
/// holds it twice.
struct ClaimColumns: Sendable {
    static let shift = 16, chunk = 1 << shift, mask = chunk - 1
    /// The recorder field's low 29 bits hold the key index (all ones: not known); the high 3 bits the
    /// flags `corrected`, `retracted`, `statusUnknown`. A ledger would need 2^29 keys to have a key
    /// index that does not fit: it is then kept as "not known", which refuses (never admits) an amend.
    static let recorderBits: UInt32 = 0x1FFF_FFFF

    /// Whether status records keep the hash's last 16 bytes (false: the first 16 are a tag).
    let wholeHashes: Bool
    private(set) var count = 0
    private var keys: [[ClaimKey]] = []
    private var recorders: [[UInt32]] = []
    /// Status record number + 1; 0: none.
    private var statusRefs: [[UInt32]] = []
    private var statusCount = 0
    /// The first 16 bytes of the hash, or its tag.
    private var statusHeads: [[ClaimKey]] = []
    /// The last 16 bytes of the hash (only with `wholeHashes`).
    private var statusTails: [[ClaimKey]] = []
    private var statusSigners: [[UInt32]] = []

    init(wholeHashes: Bool = true) {
        self.wholeHashes = wholeHashes
    }

    func key(_ n: Int) -> ClaimKey { keys[n >> Self.shift][n & Self.mask] }

    func facts(of n: Int) -> ClaimFacts {
        let c = n >> Self.shift, i = n & Self.mask
        let r = recorders[c][i], recorder = r & Self.recorderBits
        var f = ClaimFacts(recorder: recorder == Self.recorderBits ? ClaimFacts.unknownKey : recorder,
                           flags: ClaimFacts.Flags(rawValue: UInt8(truncatingIfNeeded: r >> 29)))
        let ref = statusRefs[c][i]
        if ref != 0 {
            let s = Int(ref - 1), sc = s >> Self.shift, si = s & Self.mask
            let head = statusHeads[sc][si], tail = wholeHashes ? statusTails[sc][si] : ClaimKey(high: 0, low: 0)
            f.latestStatus = withUnsafeBytes(of: (head.high, head.low, tail.high, tail.low)) { SHA256Digest(bytes: $0)! }
            f.statusSigner = statusSigners[sc][si]
            if !wholeHashes && f.latestStatus != .zero { f.flags.insert(.statusTagged) }
        }
        return f
    }

    /// Appends a claim; returns its number.
    mutating func append(_ key: ClaimKey, _ facts: ClaimFacts) -> Int {
        let n = count
        if n & Self.mask == 0 {
            keys.append(Self.started())
            recorders.append(Self.started())
            statusRefs.append(Self.started())
        }
        let c = n >> Self.shift
        keys[c].append(key)
        recorders[c].append(0)
        statusRefs[c].append(0)
        count += 1
        setFacts(facts, of: n)
        return n
    }

    /// Sets the facts of claim `n` (a tagging set's `latestStatus` already holds the tag).
    mutating func setFacts(_ f: ClaimFacts, of n: Int) {
        let c = n >> Self.shift, i = n & Self.mask
        let recorder = Swift.min(f.recorder, Self.recorderBits)
        recorders[c][i] = recorder | UInt32(f.flags.rawValue & 7) << 29
        var ref = statusRefs[c][i]
        guard ref != 0 || f.latestStatus != .zero || f.statusSigner != ClaimFacts.unknownKey else { return }
        if ref == 0 {
            ref = UInt32(appendStatus() + 1)
            statusRefs[c][i] = ref
        }
        let s = Int(ref - 1), sc = s >> Self.shift, si = s & Self.mask
        f.latestStatus.withUnsafeBytes { raw in
            statusHeads[sc][si] = ClaimKey(high: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                                           low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if wholeHashes {
                statusTails[sc][si] = ClaimKey(high: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                                               low: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            }
        }
        statusSigners[sc][si] = f.statusSigner
    }

    private mutating func appendStatus() -> Int {
        let s = statusCount
        if s & Self.mask == 0 {
            statusHeads.append(Self.started())
            if wholeHashes { statusTails.append(Self.started()) }
            statusSigners.append(Self.started())
        }
        let sc = s >> Self.shift
        statusHeads[sc].append(ClaimKey(high: 0, low: 0))
        if wholeHashes { statusTails[sc].append(ClaimKey(high: 0, low: 0)) }
        statusSigners[sc].append(ClaimFacts.unknownKey)
        statusCount += 1
        return s
    }

    private static func started<T>() -> [T] {
        var a = [T]()
        a.reserveCapacity(chunk)
        return a
    }

    /// Calls `body` with each claim's key and (when `withFacts`) facts in order, freeing each chunk of
    /// claims once visited; leaves the columns empty.
    mutating func drain(withFacts: Bool, _ body: (ClaimKey, ClaimFacts?) -> Void) {
        var n = 0
        for c in keys.indices {
            for i in keys[c].indices {
                body(keys[c][i], withFacts ? facts(of: n) : nil)
                n += 1
            }
            keys[c] = []
            recorders[c] = []
            statusRefs[c] = []
        }
        self = ClaimColumns(wholeHashes: wholeHashes)
    }
}
