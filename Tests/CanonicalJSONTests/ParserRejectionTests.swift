import CanonicalJSON
import Testing

struct RejectionCase: Sendable, CustomTestStringConvertible {
    let file: String
    let code: JSONParseError.Code
    let offset: Int
    var limits = JSONLimits.default

    var testDescription: String { file }
}

private func small(
    maxBytes: Int = 1 << 20, maxDepth: Int = 32, maxStringBytes: Int = 256 << 10, maxContainerCount: Int = 10_000
) -> JSONLimits {
    JSONLimits(maxBytes: maxBytes, maxDepth: maxDepth, maxStringBytes: maxStringBytes,
               maxContainerCount: maxContainerCount)
}

@Suite("Strict RFC 8259 rejections")
struct ParserRejectionTests {
    /// One vector file per case; offsets are byte positions in that file.
    static let cases: [RejectionCase] = [
        .init(file: "reject-empty.json", code: .empty, offset: 0),
        .init(file: "reject-whitespace-only.json", code: .empty, offset: 4),
        .init(file: "reject-byte-order-mark.json", code: .syntax, offset: 0),
        .init(file: "reject-trailing-bytes.json", code: .trailingBytes, offset: 8),
        .init(file: "reject-two-top-level-values.json", code: .trailingBytes, offset: 2),
        .init(file: "reject-trailing-comment.json", code: .trailingBytes, offset: 4),
        .init(file: "reject-trailing-comma-array.json", code: .syntax, offset: 3),
        .init(file: "reject-trailing-comma-object.json", code: .syntax, offset: 7),
        .init(file: "reject-unquoted-key.json", code: .syntax, offset: 1),
        .init(file: "reject-single-quoted-string.json", code: .syntax, offset: 1),
        .init(file: "reject-missing-colon.json", code: .syntax, offset: 5),
        .init(file: "reject-missing-comma.json", code: .syntax, offset: 3),
        .init(file: "reject-unterminated-string.json", code: .syntax, offset: 1),
        .init(file: "reject-unclosed-array.json", code: .syntax, offset: 4),
        .init(file: "reject-unclosed-object.json", code: .syntax, offset: 6),
        .init(file: "reject-truncated-literal.json", code: .syntax, offset: 1),
        .init(file: "reject-capitalized-literal.json", code: .syntax, offset: 1),
        .init(file: "reject-nan-literal.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-infinity-literal.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-negative-infinity-literal.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-leading-zero.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-negative-leading-zero.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-minus-alone.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-trailing-decimal-point.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-leading-decimal-point.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-leading-plus.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-empty-exponent.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-exponent-sign-only.json", code: .invalidNumber, offset: 1),
        .init(file: "reject-number-hexadecimal.json", code: .syntax, offset: 2),
        .init(file: "reject-number-overflow.json", code: .numberOutOfRange, offset: 1),
        .init(file: "reject-number-overflow-negative.json", code: .numberOutOfRange, offset: 3),
        .init(file: "reject-number-overflow-many-digits.json", code: .numberOutOfRange, offset: 1),
        .init(file: "reject-duplicate-key.json", code: .duplicateKey, offset: 9),
        .init(file: "reject-duplicate-key-escaped-spelling.json", code: .duplicateKey, offset: 7),
        .init(file: "reject-duplicate-key-nested.json", code: .duplicateKey, offset: 12),
        .init(file: "reject-duplicate-key-canonically-equivalent.json", code: .duplicateKey, offset: 12),
        .init(file: "reject-control-character-newline.json", code: .controlCharacter, offset: 3),
        .init(file: "reject-control-character-nul.json", code: .controlCharacter, offset: 3),
        .init(file: "reject-control-character-tab-in-key.json", code: .controlCharacter, offset: 2),
        .init(file: "reject-control-character-after-escape.json", code: .controlCharacter, offset: 4),
        .init(file: "reject-invalid-escape.json", code: .invalidEscape, offset: 2),
        .init(file: "reject-invalid-escape-single-quote.json", code: .invalidEscape, offset: 2),
        .init(file: "reject-invalid-escape-uppercase-u.json", code: .invalidEscape, offset: 2),
        .init(file: "reject-invalid-escape-short-unicode.json", code: .invalidEscape, offset: 2),
        .init(file: "reject-invalid-escape-non-hex-unicode.json", code: .invalidEscape, offset: 4),
        .init(file: "reject-lone-high-surrogate.json", code: .loneSurrogate, offset: 2),
        .init(file: "reject-lone-low-surrogate.json", code: .loneSurrogate, offset: 2),
        .init(file: "reject-high-surrogate-then-bmp-escape.json", code: .loneSurrogate, offset: 2),
        .init(file: "reject-high-surrogate-then-text.json", code: .loneSurrogate, offset: 3),
        .init(file: "reject-reversed-surrogate-pair.json", code: .loneSurrogate, offset: 2),
        .init(file: "reject-lone-surrogate-in-key.json", code: .loneSurrogate, offset: 2),
        .init(file: "reject-utf8-overlong-two-bytes.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-overlong-three-bytes.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-overlong-four-bytes.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-encoded-surrogate.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-above-u10ffff.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-lead-byte-f5.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-truncated-sequence.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-truncated-at-end-of-input.json", code: .invalidUTF8, offset: 3),
        .init(file: "reject-utf8-lone-continuation-byte.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-byte-ff.json", code: .invalidUTF8, offset: 2),
        .init(file: "reject-utf8-invalid-in-key.json", code: .invalidUTF8, offset: 3),
        .init(file: "reject-utf8-invalid-outside-string.json", code: .invalidUTF8, offset: 1),
        .init(file: "reject-non-ascii-outside-string.json", code: .syntax, offset: 1),
        .init(file: "reject-depth-33-arrays.json", code: .depthExceeded, offset: 32),
        .init(file: "reject-depth-33-objects.json", code: .depthExceeded, offset: 160),
        .init(file: "reject-too-many-array-elements.json", code: .tooManyMembers, offset: 20001),
        .init(file: "reject-string-too-long-limit-8.json", code: .stringTooLong, offset: 1,
              limits: small(maxStringBytes: 8)),
        .init(file: "reject-escaped-string-too-long-limit-8.json", code: .stringTooLong, offset: 1,
              limits: small(maxStringBytes: 8)),
        .init(file: "reject-key-too-long-limit-8.json", code: .stringTooLong, offset: 1,
              limits: small(maxStringBytes: 8)),
        .init(file: "reject-document-too-large-limit-16.json", code: .tooLarge, offset: 16,
              limits: small(maxBytes: 16)),
        .init(file: "reject-too-many-object-members-limit-3.json", code: .tooManyMembers, offset: 19,
              limits: small(maxContainerCount: 3)),
        .init(file: "reject-depth-3-limit-2.json", code: .depthExceeded, offset: 6,
              limits: small(maxDepth: 2)),
    ]

    @Test func everyRejectionVectorHasACase() {
        let files = Vectors.names(prefix: "reject-", suffix: ".json")
        #expect(files.count == Self.cases.count)
        #expect(Set(files) == Set(Self.cases.map(\.file)))
    }

    @Test(arguments: cases)
    func rejects(_ rejection: RejectionCase) throws {
        let bytes = try Vectors.bytes(rejection.file)
        do {
            let value = try JSONParser.parse(bytes, limits: rejection.limits)
            Issue.record("accepted as \(value)")
        } catch {
            #expect(error.code == rejection.code, "\(error)")
            #expect(error.offset == rejection.offset, "\(error)")
            #expect(error.description == "\(error.detail) at byte \(error.offset)")
        }
        // The String entry point agrees whenever the bytes are valid UTF-8.
        let text = String(decoding: bytes, as: UTF8.self)
        if Array(text.utf8) == bytes {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(text, limits: rejection.limits) }
        }
    }

    @Test func detailsNameTheProblem() {
        #expect(throws: JSONParseError(code: .duplicateKey, offset: 9, detail: #"duplicate key "seq""#)) {
            try JSONParser.parse(#"{"seq":1,"seq":2}"#)
        }
        #expect(throws: JSONParseError(code: .depthExceeded, offset: 32, detail: "nesting depth 33 exceeds limit 32")) {
            try JSONParser.parse(String(repeating: "[", count: 33) + String(repeating: "]", count: 33))
        }
        #expect(throws: JSONParseError(
            code: .duplicateKey, offset: 12,
            detail: "key \"e\u{301}\" (U+0065 U+0301) is canonically equivalent to earlier key \"\u{E9}\" (U+00E9)"
        )) {
            try JSONParser.parse(#"{"\u00e9":1,"e\u0301":2}"#)
        }
        let error = JSONParseError(code: .trailingBytes, offset: 7, detail: "unexpected data")
        #expect(error.description == "unexpected data at byte 7")
        #expect(JSONParseError.Code.invalidUTF8.rawValue == "invalid-utf8")
        #expect(JSONParseError.Code.tooManyMembers.rawValue == "too-many-members")
    }

    /// 1 MiB of `[` fails at the 33rd bracket without recursing, and even with an unbounded
    /// depth limit the iterative parser reaches the end of input without exhausting the stack.
    @Test func megabyteOfOpenBrackets() {
        let brackets = [UInt8](repeating: UInt8(ascii: "["), count: 1 << 20)
        #expect(throws: JSONParseError(code: .depthExceeded, offset: 32, detail: "nesting depth 33 exceeds limit 32")) {
            try JSONParser.parse(brackets)
        }
        let unbounded = JSONLimits(maxBytes: .max, maxDepth: .max, maxStringBytes: .max, maxContainerCount: .max)
        do {
            _ = try JSONParser.parse(brackets, limits: unbounded)
            Issue.record("accepted unterminated arrays")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.offset == 1 << 20)
        }
    }
}
