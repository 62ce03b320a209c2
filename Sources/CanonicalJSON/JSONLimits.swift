/// Resource limits enforced by `JSONParser`. Every limit is inclusive: a document at exactly the
/// limit is accepted, one unit more is rejected.
public struct JSONLimits: Sendable, Equatable {
    /// Size of the whole document in bytes (`JSONParseError.Code.tooLarge`).
    public var maxBytes: Int
    /// Nesting of arrays/objects; the top-level container is depth 1 (`.depthExceeded`).
    /// Parsing is iterative, so this limit is not what protects the parser's stack; it bounds the
    /// recursion of consumers (canonicalization, deinitialization) of the resulting value.
    public var maxDepth: Int
    /// UTF-8 bytes of one decoded string, object keys included (`.stringTooLong`).
    public var maxStringBytes: Int
    /// Members of one object or elements of one array (`.tooManyMembers`).
    public var maxContainerCount: Int

    public init(maxBytes: Int, maxDepth: Int, maxStringBytes: Int, maxContainerCount: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxContainerCount = maxContainerCount
    }

    /// 1 MiB documents, depth 32, 256 KiB strings, 10 000 members per container.
    public static let `default` = JSONLimits(
        maxBytes: 1 << 20, maxDepth: 32, maxStringBytes: 256 << 10, maxContainerCount: 10_000)
}
