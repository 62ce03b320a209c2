public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable codes; the raw values are part of the public contract.
    public enum Code: String, Sendable {
        case syntax
        case invalidUTF8 = "invalid-utf8"
        case controlCharacter = "control-character"
        case invalidEscape = "invalid-escape"
        case loneSurrogate = "lone-surrogate"
        case invalidNumber = "invalid-number"
        case numberOutOfRange = "number-out-of-range"
        case duplicateKey = "duplicate-key"
        case trailingBytes = "trailing-bytes"
        case depthExceeded = "depth-exceeded"
        case tooLarge = "too-large"
        case stringTooLong = "string-too-long"
        case tooManyMembers = "too-many-members"
        case empty
    }

    public let code: Code
    /// Byte offset in the input where the problem was found.
    public let offset: Int
    /// Human-readable explanation, e.g. `duplicate key "seq"`.
    public let detail: String

    public init(code: Code, offset: Int, detail: String) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    /// "<detail> at byte <offset>".
    public var description: String { "\(detail) at byte \(offset)" }
}

/// A value that RFC 8785 cannot serialize (NaN or an infinity).
public struct JCSError: Error, Sendable, Equatable, CustomStringConvertible {
    public let detail: String

    public init(detail: String) { self.detail = detail }

    public var description: String { detail }
}
