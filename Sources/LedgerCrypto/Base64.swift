/// RFC 4648 section 4 base64 with padding, as the ledger format and C2SP signed notes use. Decoding is strict: no whitespace, no missing or
/// extra padding, and unused trailing bits must be zero, so each byte string has exactly one encoding.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` to `out`: the UTF-8 bytes of `encode(bytes)`.
    public static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let input = Array(bytes)
        out.reserveCapacity(out.count + (input.count + 2) / 3 * 4)
        alphabet.withUnsafeBufferPointer { alphabet in
            var i = 0
            while i + 3 <= input.count {
                let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                out.append(alphabet[Int(n >> 18)])
                out.append(alphabet[Int(n >> 12 & 63)])
                out.append(alphabet[Int(n >> 6 & 63)])
                out.append(alphabet[Int(n & 63)])
                i += 3
            }
            switch input.count - i {
            case 1:
                let n = UInt32(input[i]) << 16
                out.append(alphabet[Int(n >> 18)])
                out.append(alphabet[Int(n >> 12 & 63)])
                out.append(0x3D)
                out.append(0x3D)
            case 2:
                let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                out.append(alphabet[Int(n >> 18)])
                out.append(alphabet[Int(n >> 12 & 63)])
                out.append(alphabet[Int(n >> 6 & 63)])
                out.append(0x3D)
            default: break
            }
        }
    }

    /// The decoded bytes, or nil unless `text` is the canonical encoding of them.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let b = Array(text.utf8)
        guard b.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(b.count / 4 * 3)
        var i = 0
        while i < b.count {
            let last = i + 4 == b.count
            let pad = last ? (b[i + 3] == 0x3D ? (b[i + 2] == 0x3D ? 2 : 1) : 0) : 0
            var n: UInt32 = 0
            for j in 0..<(4 - pad) {
                let v = decodeTable[Int(b[i + j])]
                guard v != 0xFF else { return nil }
                n |= UInt32(v) << (18 - 6 * UInt32(j))
            }
            out.append(UInt8(n >> 16))
            if pad < 2 { out.append(UInt8(n >> 8 & 0xFF)) } else if n & 0xFFFF != 0 { return nil }
            if pad < 1 { out.append(UInt8(n & 0xFF)) } else if n & 0xFF != 0 { return nil }
            i += 4
        }
        return out
    }
}
