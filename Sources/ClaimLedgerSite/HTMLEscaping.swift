/// Escaping of text for a page: on the UTF-8 bytes of a string, appended into the fragment being built
/// (HTML.swift). Runs of ordinary bytes are copied as they are.
extension HTML {
    /// `&`, `<`, `>`, `"`, `'` as entities; NUL as U+FFFD; direction controls as the visible text
    /// `[U+202E]` (so that not even a title or an attribute value carries one into the page).
    public static func escape(_ s: String) -> String {
        var out = [UInt8]()
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `escape`, with each direction control shown as a marked `<span>` rather than as plain text: for
    /// ledger text inside an element.
    public static func escapeShowingControls(_ s: String) -> String {
        var out = [UInt8]()
        appendEscapedShowingControls(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `escape(s)`'s bytes to `out`.
    public static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendEscaped($0, to: &out, controlsMarked: false) }
    }

    /// Appends `escapeShowingControls(s)`'s bytes to `out`.
    public static func appendEscapedShowingControls(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendEscaped($0, to: &out, controlsMarked: true) }
    }

    /// Bytes below 0x40 that `appendEscaped` replaces: `&<>"'` and NUL.
    private static let specialASCII: UInt64 = 1 << 0x26 | 1 << 0x3C | 1 << 0x3E | 1 << 0x22 | 1 << 0x27 | 1 << 0x00

    /// The escaping itself, on the UTF-8 bytes of a string (valid UTF-8): runs of ordinary bytes are copied
    /// as they are. Only `&<>"'`, NUL and the lead bytes of the direction controls (0xD8 for U+061C, 0xE2 for
    /// the others) are looked at. A direction control becomes `[U+202E]`, inside a marked `<span>` when
    /// `controlsMarked`.
    static func appendEscaped(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], controlsMarked: Bool) {
        let n = b.count
        if out.isEmpty { out.reserveCapacity(n) }
        var copied = 0, i = 0
        while i < n {
            let c = b[i]
            let special = c < 0x40 ? specialASCII & (1 << UInt64(c)) != 0 : (c == 0xE2 || c == 0xD8)
            guard special else {
                i += 1
                continue
            }
            var width = 1
            var control: Unicode.Scalar?
            let replacement: String?
            switch c {
            case 0x26: replacement = "&amp;"
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x22: replacement = "&quot;"
            case 0x27: replacement = "&#39;"
            case 0x00: replacement = "\u{FFFD}"
            case 0xE2 where i + 2 < n:
                let value = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                control = Unicode.Scalar(value).flatMap { isBidiControl($0) ? $0 : nil }
                replacement = nil
                width = 3
            case 0xD8 where i + 1 < n:
                let value = UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                control = value == 0x061C ? "\u{061C}" : nil
                replacement = nil
                width = 2
            default: replacement = nil
            }
            guard replacement != nil || control != nil else {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<i]))
            if let replacement {
                out.append(contentsOf: replacement.utf8)
            } else if let control {
                if controlsMarked { out.append(contentsOf: #"<span class="bidi-control" title="a direction control character was here">"#.utf8) }
                out.append(contentsOf: codeLabel(control).utf8)
                if controlsMarked { out.append(contentsOf: "</span>".utf8) }
            }
            i += width
            copied = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<n]))
    }

    /// `[U+202E]`.
    public static func codeLabel(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "[U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
    }

    /// Characters that change the direction of text around them (UAX #9): embeddings, overrides,
    /// isolates, marks; plus the line and paragraph separators, which break a line where a reader
    /// does not expect it.
    public static func isBidiControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: true
        default: false
        }
    }
}
