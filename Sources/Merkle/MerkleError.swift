/// Failure of a Merkle tree operation. `code` is stable and meant for comparison;
/// `detail` carries the numbers and hashes involved (sizes, indexes, computed and wanted roots).
public struct MerkleError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case indexOutOfRange = "index-out-of-range"
        case wrongProofSize = "wrong-proof-size"
        case rootMismatch = "root-mismatch"
        case invalidSizes = "invalid-sizes"
        case missingHash = "missing-hash"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
