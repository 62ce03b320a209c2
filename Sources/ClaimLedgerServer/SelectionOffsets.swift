import ClaimLedgerCore

/// Turns a journalist's selection in a source page into a byte offset in the archived source.
///
/// The source page shows the archived bytes decoded as UTF-8 (invalid bytes as U+FFFD) in the container
/// `#source-text`. The browser script (/static/app.js) sends the selected text (`quote`) and where the
/// selection starts in that container's text, counted in UTF-16 code units as JavaScript counts them
/// (`at`). The server, not the browser, finds the byte offset: it converts `at` to a byte position and
/// takes the occurrence of the quote's bytes nearest to it, so a quote that occurs twice resolves to the
/// one selected even if the rendering shifted the count a little (a dropped leading newline).
public enum SelectionOffsets {
    public struct Failure: Error, Sendable, Equatable {
        public let message: String
    }

    /// The byte offset where the UTF-16 position `utf16` of the decoded text falls: the start of the
    /// scalar it lands in. Positions past the end give the source's size.
    public static func byteOffset(utf16 position: Int, in bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var units = 0, offset = 0
        while units < position {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let width = encoded.count
                let scalarUnits = width == 4 ? 2 : 1
                if units + scalarUnits > position { return offset }
                units += scalarUnits
                offset += width
            case .error(let length):
                units += 1
                offset += length
            case .emptyInput:
                return offset
            }
        }
        return offset
    }

    /// The UTF-16 position of byte offset `offset` (which must start a scalar) in the decoded text.
    public static func utf16Position(ofByte offset: Int, in bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var units = 0, at = 0
        while at < offset {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                units += encoded.count == 4 ? 2 : 1
                at += encoded.count
            case .error(let length):
                units += 1
                at += length
            case .emptyInput:
                return units
            }
        }
        return units
    }

    /// The bytes of the selected `quote` in `bytes`: the occurrence nearest the selection's UTF-16 start
    /// `at`. Without `at`, the quote must occur once. The range's bytes are the quote as archived (line
    /// breaks as the source has them).
    public static func locate(quote: String, at position: Int?, in bytes: [UInt8]) throws(Failure) -> Range<Int> {
        guard !quote.isEmpty else { throw Failure(message: "Select the words of the claim in the source text first") }
        var needle = Array(quote.utf8)
        var found = QuoteLocator.scan(for: needle, in: bytes)
        if found.isEmpty, needle.contains(0x0A), bytes.contains(0x0D) {
            // The browser gives line breaks as LF; a source written with CRLF has them as two bytes.
            needle = needle.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
            found = QuoteLocator.scan(for: needle, in: bytes)
        }
        guard let first = found.first else {
            throw Failure(message: "The selected text does not occur byte for byte in the archived source: select it again in the source page")
        }
        guard let position else {
            guard found.count == 1 else {
                throw Failure(message: "The quote occurs \(found.count) times in the source: select the one you mean in the source page")
            }
            return first..<(first + needle.count)
        }
        let target = byteOffset(utf16: max(0, position), in: bytes)
        let nearest = found.min(by: { abs($0 - target) < abs($1 - target) }) ?? first
        return nearest..<(nearest + needle.count)
    }

    /// The quote between byte offsets `start` and `end` (the contract's `start`/`end` parameters), when
    /// they are in range and the bytes between them are whole UTF-8 text.
    public static func quote(start: Int, end: Int, in bytes: [UInt8]) throws(Failure) -> String {
        guard start >= 0, end > start, end <= bytes.count else {
            throw Failure(message: "The selection \(start)..<\(end) is outside the source (\(bytes.count) bytes): select the quote again")
        }
        guard end - start <= 16 * 1024 else { throw Failure(message: "The selection is longer than a quote may be (16 KiB)") }
        let slice = Array(bytes[start..<end])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw Failure(message: "The selection \(start)..<\(end) does not start and end on whole characters: select the quote again")
        }
        return text
    }
}
