import LedgerCrypto

/// What a verifier keeps of each claim to judge later entries about it (FORMAT.md 8.7), in a fixed
/// size: who recorded it, whether it is corrected or retracted, and its latest status entry's hash and
/// signer. Signers are indices into the ledger's keys in the order they were added (`keyOrder`).
public struct ClaimFacts: Sendable, Equatable {
    /// A key index that is not known (a claim restored from an audit state that predates these facts).
    public static let unknownKey = UInt32.max

    /// The hash of the latest status entry; `.zero` before any.
    public var latestStatus: SHA256Digest
    /// The key index of the claim entry's signer.
    public var recorder: UInt32
    /// The key index of the latest status entry's signer (meaningless before any).
    public var statusSigner: UInt32
    public var flags: Flags

    public struct Flags: OptionSet, Sendable, Equatable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let corrected = Flags(rawValue: 1)
        public static let retracted = Flags(rawValue: 2)
        /// The latest status is not known: restored from a state written before facts were kept.
        public static let statusUnknown = Flags(rawValue: 4)
        /// `latestStatus` holds a keyed tag of the hash, not the hash (`ClaimKeySet`, in memory only:
        /// never encoded).
        public static let statusTagged = Flags(rawValue: 8)
    }

    public init(latestStatus: SHA256Digest = .zero, recorder: UInt32, statusSigner: UInt32 = ClaimFacts.unknownKey,
                flags: Flags = []) {
        self.latestStatus = latestStatus
        self.recorder = recorder
        self.statusSigner = statusSigner
        self.flags = flags
    }

    /// Facts of a claim whose facts were not kept (restored from an older audit state).
    public static let unknown = ClaimFacts(recorder: unknownKey, flags: .statusUnknown)

    public var isRetracted: Bool { flags.contains(.retracted) }
    public var isCorrected: Bool { flags.contains(.corrected) }
    public var hasStatus: Bool { latestStatus != .zero }

    /// The fixed-size binary form of audit states and the writers' index: the latest status hash (32
    /// bytes), recorder and status signer (u32 little-endian each), flags (1 byte), 3 zero bytes.
    public static let encodedWidth = 44

    public func encode(into out: inout [UInt8]) {
        precondition(!flags.contains(.statusTagged), "a status tag cannot be saved")
        latestStatus.withUnsafeBytes { out += $0 }
        for v in [recorder, statusSigner] { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
        out += [flags.rawValue, 0, 0, 0]
    }

    /// Nil unless `bytes[at...]` holds an encoded value (unknown flag bits are refused).
    public init?(decoding bytes: UnsafeRawBufferPointer, at: Int) {
        guard bytes.count >= at + Self.encodedWidth, let digest = SHA256Digest(bytes: bytes[at..<(at + 32)]) else { return nil }
        func u32(_ o: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + o + $1]) << (8 * UInt32($1)) } }
        let flags = bytes[at + 40]
        guard flags & ~7 == 0 else { return nil }
        self.init(latestStatus: digest, recorder: u32(32), statusSigner: u32(36), flags: Flags(rawValue: flags))
    }
}

extension ClaimFacts {
    /// The facts once a status entry with `hash`, signed by the key at `signer` in the key order, is the latest.
    public mutating func noteStatus(_ hash: SHA256Digest, signer: UInt32) {
        latestStatus = hash
        statusSigner = signer
        flags.remove([.statusUnknown, .statusTagged])
    }

    /// The facts once an amend entry corrects (or, `retract`, retracts) the claim.
    public mutating func noteAmend(retract: Bool) {
        flags.insert(retract ? .retracted : .corrected)
    }
}
