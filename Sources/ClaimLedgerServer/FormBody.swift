/// `application/x-www-form-urlencoded` bodies (the WHATWG URL standard's parser): `name=value` pairs
/// separated by `&`, `+` for a space, percent-escapes decoded as UTF-8. Strict: a bad escape or bytes
/// that are not UTF-8 refuse the body, and the number of pairs is bounded.
public enum FormBody {
    public struct Malformed: Error, Sendable {
        public let message: String
    }

    public static let maxPairs = 512

    public static func parse(_ bytes: [UInt8]) throws(Malformed) -> [(String, String)] {
        var pairs = [(String, String)]()
        for part in bytes.split(separator: 0x26, omittingEmptySubsequences: true) {
            guard pairs.count < maxPairs else { throw Malformed(message: "the form has more than \(maxPairs) fields") }
            let eq = part.firstIndex(of: 0x3D)
            let name = try decode(eq.map { part[part.startIndex..<$0] } ?? part[...])
            let value = try decode(eq.map { part[part.index(after: $0)...] } ?? [])
            pairs.append((name, value))
        }
        return pairs
    }

    static func decode(_ raw: ArraySlice<UInt8>) throws(Malformed) -> String {
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let c = raw[i]
            if c == 0x2B {
                out.append(0x20)
            } else if c == 0x25 {
                guard i + 2 < raw.endIndex, let hi = hex(raw[i + 1]), let lo = hex(raw[i + 2]) else {
                    throw Malformed(message: "the form has a bad percent-escape")
                }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw Malformed(message: "the form is not UTF-8 text") }
        return s
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
