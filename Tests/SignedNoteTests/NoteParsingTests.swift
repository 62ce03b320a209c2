import LedgerCrypto
import SignedNote
import Testing

/// A malformed variant of Go's example note and the error code it must produce.
struct MalformedNote: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let code: NoteError.Code
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ code: NoteError.Code) {
        self.init(name, Array(text.utf8), code)
    }

    init(_ name: String, _ bytes: [UInt8], _ code: NoteError.Code) {
        self.name = name
        self.bytes = bytes
        self.code = code
    }
}

/// A signature line for `name` with `byteCount` bytes after the base64 is decoded.
func line(_ name: String, bytes byteCount: Int) -> String {
    let encoded = String(repeating: "A", count: byteCount / 3 * 4)
    return "\u{2014} \(name) \(encoded)\n"
}

let malformedNotes: [MalformedNote] = {
    let good = goExampleText + "\n" + peterLine
    let manySignatures = (0...NoteLimits.maxSignatures).map { line("k\($0)", bytes: 69) }.joined()
    return [
        MalformedNote("text only, no blank line", goExampleText, .malformedNote),
        MalformedNote("blank line but no signatures", goExampleText + "\n", .malformedNote),
        MalformedNote("missing final newline", String(good.dropLast()), .malformedNote),
        MalformedNote("missing blank line", goExampleText + peterLine, .malformedNote),
        MalformedNote("CR before newline", good.replacingOccurrences("\n", with: "\r\n"), .malformedNote),
        MalformedNote("control character in text", "\u{1}" + good, .malformedNote),
        MalformedNote("tab in text", "a\tb\n\n" + peterLine, .malformedNote),
        MalformedNote("invalid UTF-8", [0xFF] + Array(good.utf8), .malformedNote),
        MalformedNote("overlong UTF-8", Array("x".utf8) + [0xC0, 0xAF] + Array(good.utf8), .malformedNote),
        MalformedNote("line after signatures", good + "Unexpected line.\n", .malformedSignature),
        MalformedNote("hyphens for em dash", goExampleText + "\n-- PeterNeumann \(peterBase64)\n", .malformedSignature),
        MalformedNote("space in key name", goExampleText + "\n\u{2014} Bad Name \(peterBase64)\n", .malformedSignature),
        MalformedNote("no space after name", goExampleText + "\n\u{2014} PeterNeumann\n", .malformedSignature),
        MalformedNote("empty key name", goExampleText + "\n\u{2014}  \(peterBase64)\n", .malformedSignature),
        MalformedNote("plus in key name", goExampleText + "\n\u{2014} Peter+Neumann \(peterBase64)\n", .malformedSignature),
        MalformedNote("two spaces", goExampleText + "\n\u{2014} PeterNeumann  \(peterBase64)\n", .malformedSignature),
        MalformedNote("bad base64 character", good.replacingOccurrences("x08go", with: "x08g!"), .malformedSignature),
        MalformedNote("missing base64 padding", good.replacingOccurrences("AM=\n", with: "AM\n"), .malformedSignature),
        MalformedNote("non-canonical base64", good.replacingOccurrences("AM=\n", with: "AN=\n"), .malformedSignature),
        MalformedNote("signature of 4 bytes", goExampleText + "\n\u{2014} PeterNeumann AAAAAA==\n", .malformedSignature),
        MalformedNote("duplicated signature line", good + peterLine, .duplicateSignature),
        MalformedNote("101 signatures", goExampleText + "\n" + manySignatures, .tooManySignatures),
        MalformedNote("over 1 MiB", String(repeating: "a", count: NoteLimits.maxNoteBytes) + "\n\n" + peterLine,
                      .noteTooLarge),
    ]
}()

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

@Suite struct NoteParsingTests {
    @Test(arguments: malformedNotes)
    func malformedNoteIsRejected(_ note: MalformedNote) throws {
        let error = #expect(throws: NoteError.self) { try SignedNoteDocument(parsing: note.bytes) }
        #expect(error?.code == note.code, "\(error?.description ?? "no error")")
    }

    @Test func errorsSayWhere() {
        let crlf = Array((goExampleText + "\n" + peterLine).replacingOccurrences("\n", with: "\r\n").utf8)
        #expect(throws: NoteError(.malformedNote, "control character 0x0d at byte 56")) {
            try SignedNoteDocument(parsing: crlf)
        }
        let second = goExampleText + "\n" + peterLine + "- x\n"
        #expect(throws: NoteError(.malformedSignature, "signature line 2 does not start with an em dash and a space")) {
            try SignedNoteDocument(parsing: Array(second.utf8))
        }
        #expect(throws: NoteError(.malformedNote, "invalid UTF-8 at byte 1")) {
            try SignedNoteDocument(parsing: [0x61, 0xE2, 0x80, 0x0A, 0x0A] + Array(peterLine.utf8))
        }
    }

    @Test func exactlyMaxSignaturesIsAccepted() throws {
        let lines = (1...NoteLimits.maxSignatures).map { line("k\($0)", bytes: 69) }.joined()
        let note = try SignedNoteDocument(parsing: Array((goExampleText + "\n" + lines).utf8))
        #expect(note.signatures.count == NoteLimits.maxSignatures)
    }

    @Test func tamperedSignatureByKnownKeyIsRejected() throws {
        let peter = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        let enoch = try NoteVerifierKey(parsing: try vectorKey("EnochRoot.vkey"))
        let doublySigned = String(decoding: try vectorBytes("go-peterneumann-enochroot.note"), as: UTF8.self)
        // One base64 character of the signature changed; the key ID (first 4 bytes) is intact.
        let tampered = doublySigned.replacingOccurrences("ZJkuBS9UG", with: "ZJkuBS9UH")
        let note = try SignedNoteDocument(parsing: Array(tampered.utf8))
        #expect(throws: NoteError(.invalidSignature, "signature by PeterNeumann+c74f20a3 does not verify")) {
            try note.verify([enoch, peter])
        }
        // Unknown to this verifier: kept and ignored.
        #expect(try note.verify([enoch]) == [enoch])
        let otherText = try SignedNoteDocument(parsing: Array(("If you think\n\n" + peterLine).utf8))
        let error = #expect(throws: NoteError.self) { try otherText.verify([peter]) }
        #expect(error?.code == .invalidSignature)
    }

    @Test func sameNameOtherKeyIsUnknown() throws {
        // c2sp.org/signed-note: signatures that share a name but not the key ID with a known key are ignored.
        let impostor = try freshSigner("PeterNeumann")
        let peter = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        let note = try SignedNoteDocument(parsing: try SignedNoteDocument.sign(text: goExampleText, signers: [impostor]))
        #expect(throws: NoteError.self) { try note.verify([peter]) }
        let both = note.serialized + Array(peterLine.utf8)
        #expect(try SignedNoteDocument(parsing: both).verify([peter]) == [peter])
    }

    @Test func malformedVerifierKeysAreRejected() throws {
        let vkey = try vectorKey("PeterNeumann.vkey")
        let bytes = Array(vkey.utf8)
        // As Go's TestNewVerifier: every proper substring and every single-byte increment fails.
        for start in 0..<bytes.count {
            for end in (start + 1)...bytes.count where !(start == 0 && end == bytes.count) {
                let sub = String(decoding: bytes[start..<end], as: UTF8.self)
                #expect(throws: NoteError.self, "\(sub)") { try NoteVerifierKey(parsing: sub) }
            }
        }
        for i in bytes.indices {
            var changed = bytes
            changed[i] &+= 1
            let text = String(decoding: changed, as: UTF8.self)
            #expect(throws: NoteError.self, "\(text)") { try NoteVerifierKey(parsing: text) }
        }
        let cases: [(String, String)] = [
            // Go's wrong-length case; its trailing bits are not zero, which canonical base64 refuses first.
            ("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "key data is not canonical base64"),
            ("PeterNeumann+cc469956+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "public key is 31 bytes, want 32"),
            ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "signature type 0x65, want 0x01 (Ed25519)"),
            ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key ID \"C74F20A3\" is not 8 lowercase hex digits"),
            ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key ID mismatch: computed c74f20a3, want c74f20a4"),
        ]
        for (key, detail) in cases {
            #expect(throws: NoteError(.malformedKey, detail)) { try NoteVerifierKey(parsing: key) }
        }
        #expect(throws: NoteError.self) { try NoteSigner(parsing: vkey) }
        #expect(throws: NoteError.self) { try NoteSigner(parsing: "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz") }
    }

    @Test func invalidKeyNamesAreRejected() throws {
        let key = try Ed25519PrivateKey.generate()
        for name in ["", "a b", "a+b", "a\u{a0}b", "a\u{2028}b", "tab\there", String(repeating: "n", count: 257)] {
            let error = #expect(throws: NoteError.self, "\(name)") { try NoteSigner(name: name, privateKey: key) }
            #expect(error?.code == .invalidKeyName)
        }
        _ = try NoteSigner(name: String(repeating: "n", count: 256), privateKey: key)
    }
}
