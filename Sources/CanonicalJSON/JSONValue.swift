/// A parsed or constructed JSON value (RFC 8259) restricted to the I-JSON data model used by
/// RFC 8785: numbers are IEEE 754 doubles, strings are Unicode scalar sequences.
///
/// Equality is exact: strings and object keys compare by their UTF-8 bytes, not by Swift's
/// canonical-equivalence `String ==`, so `a == b` holds exactly when both canonicalize to the
/// same bytes (numbers compare as doubles, so `0 == -0`, both canonicalizing to `0`).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: Equatable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case let (.bool(a), .bool(b)):
            return a == b
        case let (.number(a), .number(b)):
            return a == b
        case let (.string(a), .string(b)):
            return exactlyEqual(a, b)
        case let (.array(a), .array(b)):
            return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let index = b.index(forKey: key) else { return false }
                let other = b[index]
                guard exactlyEqual(key, other.key), value == other.value else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// Byte-wise (scalar-wise) string equality, unlike `String ==` which applies canonical equivalence.
    static func exactlyEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Traps on duplicate keys, like a `Dictionary` literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(uniqueKeysWithValues: elements))
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The largest integer magnitude that I-JSON (RFC 7493 section 2.2) treats as exact: 2^53 - 1.
    public static let maxSafeInteger = 9_007_199_254_740_991

    /// The integer when the number is integral and |n| <= 2^53 - 1; otherwise nil. `-0` gives 0.
    public var integerValue: Int? {
        guard case .number(let value) = self,
              value.magnitude <= Double(JSONValue.maxSafeInteger),
              value.rounded(.towardZero) == value
        else { return nil }
        return Int(value)
    }

    /// The member named `key` when this is an object containing it; otherwise nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// "null", "boolean", "number", "string", "array" or "object", for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
