import CanonicalJSON
import LedgerCrypto

/// Reads the members of one JSON object strictly: each member is read once with its expected type,
/// and `finish()` rejects members nobody read. Errors name the member by its path.
struct StrictObject {
    private let members: [String: JSONValue]
    /// Where the members read so far are, each once: when it holds every member, none is unknown. Indices,
    /// not names, so that reading a member hashes its name once (the lookup), not twice.
    private var read: [Dictionary<String, JSONValue>.Index] = []
    let path: String
    let code: LedgerError.Code

    init(_ value: JSONValue, path: String, code: LedgerError.Code = .invalidPayload) throws(LedgerError) {
        guard let members = value.objectValue else {
            throw LedgerError(code, "\(path) must be an object, found \(value.kindName)")
        }
        self.members = members
        self.path = path
        self.code = code
        read.reserveCapacity(members.count)
    }

    func fail(_ reason: String) -> LedgerError { LedgerError(code, reason) }

    /// Where `key` is: by comparing names in a small object (cheaper than hashing one), by hashing in a
    /// larger one. Both find the member whose name `==` `key`.
    private func index(of key: String) -> Dictionary<String, JSONValue>.Index? {
        guard members.count <= 16 else { return members.index(forKey: key) }
        var i = members.startIndex
        while i != members.endIndex {
            if members[i].key == key { return i }
            members.formIndex(after: &i)
        }
        return nil
    }

    mutating func value(_ key: String) throws(LedgerError) -> JSONValue {
        guard let index = index(of: key) else { throw fail("\(path).\(key) is missing") }
        if !read.contains(index) { read.append(index) }
        return members[index].value
    }

    mutating func has(_ key: String) -> Bool { index(of: key) != nil }

    mutating func string(_ key: String, maxBytes: Int = LedgerLimits.maxShortTextBytes, allowEmpty: Bool = false)
        throws(LedgerError) -> String
    {
        let v = try value(key)
        guard let s = v.stringValue else { throw fail("\(path).\(key) must be a string, found \(v.kindName)") }
        if !allowEmpty && s.isEmpty { throw fail("\(path).\(key) must not be empty") }
        if s.utf8.count > maxBytes {
            throw LedgerError(.limitExceeded, "\(path).\(key) is \(s.utf8.count) bytes, limit \(maxBytes)")
        }
        return s
    }

    mutating func optionalString(_ key: String, maxBytes: Int = LedgerLimits.maxShortTextBytes) throws(LedgerError) -> String? {
        has(key) ? try string(key, maxBytes: maxBytes) : nil
    }

    mutating func integer(_ key: String, min: Int = 0) throws(LedgerError) -> Int {
        let v = try value(key)
        guard let n = v.integerValue else { throw fail("\(path).\(key) must be an integer, found \(v.kindName)") }
        guard n >= min else { throw fail("\(path).\(key) is \(n), must be at least \(min)") }
        return n
    }

    mutating func array(_ key: String, max: Int) throws(LedgerError) -> [JSONValue] {
        let v = try value(key)
        guard let a = v.arrayValue else { throw fail("\(path).\(key) must be an array, found \(v.kindName)") }
        if a.count > max { throw LedgerError(.limitExceeded, "\(path).\(key) has \(a.count) items, limit \(max)") }
        return a
    }

    mutating func digest(_ key: String) throws(LedgerError) -> SHA256Digest {
        let s = try string(key)
        guard let d = SHA256Digest(hex: s) else {
            throw fail("\(path).\(key) must be 64 lower-case hex digits, found \"\(s.prefix(80))\"")
        }
        return d
    }

    mutating func date(_ key: String) throws(LedgerError) -> CalendarDate {
        let s = try string(key)
        guard let d = CalendarDate(s) else { throw fail("\(path).\(key) must be a date YYYY-MM-DD, found \"\(s.prefix(40))\"") }
        return d
    }

    mutating func publicKey(_ key: String) throws(LedgerError) -> Ed25519PublicKey {
        let s = try string(key)
        guard let raw = Base64.decode(s), raw.count == 32, let k = try? Ed25519PublicKey(rawRepresentation: raw) else {
            throw fail("\(path).\(key) must be the base64 of a 32-byte Ed25519 public key")
        }
        guard !k.isSmallOrder else { throw fail("\(path).\(key) is a small-order point, which verifies forged signatures") }
        return k
    }

    func finish() throws(LedgerError) {
        guard read.count < members.count else { return }
        let unknown = members.indices.filter { !read.contains($0) }.map { members[$0].key }.sorted()
        if let first = unknown.first { throw fail("\(path) has unknown member \"\(first.prefix(64))\"") }
    }
}

/// Syntax checks shared by payloads and command input.
enum Syntax {
    /// Claim ids: a lower-case letter, then 2-63 of `a-z 0-9 -`.
    static func isClaimID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (3...64).contains(b.count), (0x61...0x7A).contains(b[0]) else { return false }
        return b.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    /// BCP 47 language tag, structurally: 2-8 letters, then `-` subtags of 1-8 letters or digits.
    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first.utf8.allSatisfy(isLetter) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.utf8.allSatisfy { isLetter($0) || isDigit($0) } }
    }

    /// An absolute URI (RFC 3986 section 3): a scheme, a colon, then no spaces or control characters.
    static func isURI(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let colon = b.firstIndex(of: 0x3A), colon > 0, colon + 1 < b.count, isLetter(b[0]) else { return false }
        guard b[1..<colon].allSatisfy({ isLetter($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) else { return false }
        return b.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    /// A media type `type/subtype` with optional `; parameter=value` (RFC 6838), printable ASCII.
    static func isMediaType(_ s: String) -> Bool {
        let main = s.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let parts = main.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isTokenByte) }
            && s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// A ledger origin (also the checkpoint origin and the signed-note key name): 1-128 printable ASCII
    /// characters without spaces or `+`, e.g. `newsroom.example/claims`.
    static func isOrigin(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return (1...128).contains(b.count) && b.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x2B }
    }

    /// Free text: no control characters other than tab and newline.
    static func isText(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value >= 0x20 ? !(0x7F...0x9F).contains($0.value) : ($0 == "\n" || $0 == "\t") }
    }

    private static func isLetter(_ c: UInt8) -> Bool { (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
    private static func isDigit(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) }
    private static func isTokenByte(_ c: UInt8) -> Bool {
        isLetter(c) || isDigit(c) || Array("!#$&-^_.+".utf8).contains(c)
    }
}
