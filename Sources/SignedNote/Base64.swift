/// Standard base64 with padding (RFC 4648 section 4), as c2sp.org/signed-note and tlog-checkpoint use.
/// Decoding is canonical-only: padding required, no whitespace, and unused trailing bits must be zero,
/// so every byte string has exactly one accepted encoding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            var group: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { group |= UInt32(byte) << (16 - 8 * UInt32(offset)) }
            for symbol in 0..<4 {
                out.append(symbol <= chunk.count ? alphabet[Int((group >> (18 - 6 * UInt32(symbol))) & 0x3F)] : UInt8(ascii: "="))
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The decoded bytes, or nil unless `text` is the canonical encoding of some byte string.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let symbols = Array(text.utf8)
        guard symbols.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count / 4 * 3)
        var start = 0
        while start < symbols.count {
            let isLast = start + 4 == symbols.count
            let quad = symbols[start..<(start + 4)]
            let padding = isLast ? quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count : 0
            guard padding <= 2 else { return nil }
            var group: UInt32 = 0
            for (offset, symbol) in quad.prefix(4 - padding).enumerated() {
                let value = values[Int(symbol)]
                guard value != 0xFF else { return nil }
                group |= UInt32(value) << (18 - 6 * UInt32(offset))
            }
            let byteCount = 3 - padding
            // Bits below the last whole byte must be zero for the encoding to be canonical.
            guard group & ((1 << (8 * UInt32(3 - byteCount))) - 1) == 0 else { return nil }
            for index in 0..<byteCount { out.append(UInt8((group >> (16 - 8 * UInt32(index))) & 0xFF)) }
            start += 4
        }
        return out
    }
}
