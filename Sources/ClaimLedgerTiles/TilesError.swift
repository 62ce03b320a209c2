/// Failure to compute, encode or publish tiles (FORMAT.md 16). `code` is stable and meant for comparison;
/// `reason` names the file, entry or tile and carries the numbers.
public struct TilesError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The ledger has no stored checkpoint to publish (`claimledger checkpoint` stores one).
        case noCheckpoint = "no-checkpoint"
        /// A published file (a tile, a bundle, the checkpoint) differs from what the ledger gives, or the
        /// published checkpoint is of a larger tree: the log changed what it had published.
        case publishedDiffers = "published-differs"
        /// The output directory holds another log's tiles, or a `checkpoint` that is not one.
        case otherLog = "other-log"
        /// A tile computed from the entries disagrees with the verified tree (the writers' index or
        /// `tree/hashes` is damaged: `claimledger verify` rebuilds them).
        case treeMismatch = "tree-mismatch"
        /// An entry bundle record over 65,535 bytes, or a signature of another size than 64 bytes.
        case recordTooLarge = "record-too-large"
        /// Bundle or tile bytes that do not decode (truncated, trailing bytes, wrong length).
        case malformedTile = "malformed-tile"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(reason) [\(code.rawValue)]" }
}
