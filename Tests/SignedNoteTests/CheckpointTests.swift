import LedgerCrypto
import SignedNote
import Testing

let origin = "ledger.example/claims"
let sampleRoot = SHA256.hash(Array("root".utf8))
let sampleRootBase64 = "SBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I="

@Suite struct CheckpointTests {
    @Test func signOpenRoundTrip() throws {
        let log = try freshSigner(origin)
        let checkpoint = try Checkpoint(origin: origin, treeSize: 42, rootHash: sampleRoot)
        #expect(checkpoint.body == "\(origin)\n42\n\(sampleRootBase64)\n")
        let bytes = try checkpoint.sign(signers: [log])
        let opened = try Checkpoint.open(bytes, verifier: log.verifierKey, origin: origin)
        #expect(opened.checkpoint == checkpoint)
        #expect(opened.verifiedBy == [log.verifierKey])
        #expect(opened.note.serialized == bytes)
        #expect(try SignedNoteDocument(parsing: bytes).text == checkpoint.body)
    }

    @Test func emptyTreeAndExtensionsRoundTrip() throws {
        let log = try freshSigner(origin)
        let empty = try Checkpoint(origin: origin, treeSize: 0, rootHash: SHA256.hash([]))
        #expect(empty.body.split(separator: "\n")[1] == "0")
        #expect(try Checkpoint.open(try empty.sign(signers: [log]), verifier: log.verifierKey, origin: origin).checkpoint == empty)
        let extended = try Checkpoint(origin: origin, treeSize: Int64.max, rootHash: sampleRoot,
                                      extensions: ["Timestamp: 1700000000", "\u{2014} not a signature"])
        #expect(try Checkpoint(parsingBody: extended.body) == extended)
        let opened = try Checkpoint.open(try extended.sign(signers: [log]), verifier: log.verifierKey, origin: origin)
        #expect(opened.checkpoint.extensions == extended.extensions)
    }

    @Test func witnessCosignaturesAreKeptAndIgnored() throws {
        let log = try freshSigner(origin)
        let witness = try freshSigner("witness.example/w1")
        let bytes = try Checkpoint(origin: origin, treeSize: 7, rootHash: sampleRoot).sign(signers: [log, witness])
        let opened = try Checkpoint.open(bytes, verifier: log.verifierKey, origin: origin)
        #expect(opened.verifiedBy == [log.verifierKey])
        #expect(opened.note.signatures.map(\.name) == [origin, "witness.example/w1"])
        let both = try Checkpoint.open(bytes, verifiers: [witness.verifierKey, log.verifierKey], origin: origin)
        #expect(both.verifiedBy == [log.verifierKey, witness.verifierKey])
    }

    @Test func wrongOriginIsRejected() throws {
        let log = try freshSigner(origin)
        let bytes = try Checkpoint(origin: "other.example/log", treeSize: 7, rootHash: sampleRoot).sign(signers: [log])
        #expect(throws: NoteError(.wrongOrigin, "origin \"other.example/log\", want \"\(origin)\"")) {
            try Checkpoint.open(bytes, verifier: log.verifierKey, origin: origin)
        }
    }

    @Test func wrongKeyIsRejected() throws {
        let log = try freshSigner(origin)
        let other = try freshSigner(origin)
        let bytes = try Checkpoint(origin: origin, treeSize: 7, rootHash: sampleRoot).sign(signers: [log])
        let error = #expect(throws: NoteError.self) { try Checkpoint.open(bytes, verifier: other.verifierKey, origin: origin) }
        #expect(error?.code == .unverifiedNote)
    }

    @Test func tamperedBodyIsRejected() throws {
        let log = try freshSigner(origin)
        let bytes = try Checkpoint(origin: origin, treeSize: 7, rootHash: sampleRoot).sign(signers: [log])
        let tampered = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences("\n7\n", with: "\n8\n").utf8)
        let error = #expect(throws: NoteError.self) { try Checkpoint.open(tampered, verifier: log.verifierKey, origin: origin) }
        #expect(error?.code == .invalidSignature)
    }

    @Test(arguments: [
        ("\(origin)\n07\n\(sampleRootBase64)\n", "tree size \"07\" has a leading zero"),
        ("\(origin)\n00\n\(sampleRootBase64)\n", "tree size \"00\" has a leading zero"),
        ("\(origin)\n-1\n\(sampleRootBase64)\n", "tree size \"-1\" is not a decimal number"),
        ("\(origin)\n+1\n\(sampleRootBase64)\n", "tree size \"+1\" is not a decimal number"),
        ("\(origin)\n 1\n\(sampleRootBase64)\n", "tree size \" 1\" is not a decimal number"),
        ("\(origin)\n\u{661}\n\(sampleRootBase64)\n", "tree size \"\u{661}\" is not a decimal number"),
        ("\(origin)\n9223372036854775808\n\(sampleRootBase64)\n", "tree size 9223372036854775808 exceeds 9223372036854775807"),
        ("\(origin)\n1\n\(sampleRootBase64)", "body does not end with a newline"),
        ("\(origin)\n1\n", "body has 2 lines, want at least 3"),
        ("\n1\n\(sampleRootBase64)\n", "line 1 is empty"),
        ("\(origin)\n1\n\(sampleRootBase64)\n\n", "line 4 is empty"),
        ("\(origin)\n1\n\(sampleRootBase64)\next\n\nmore\n", "line 5 is empty"),
        ("\(origin)\r\n1\n\(sampleRootBase64)\n", "line 1 contains control character 0x0d"),
        ("\(origin)\n1\n\(sampleRootBase64.dropLast())\n", "root hash is not canonical base64"),
        ("\(origin)\n1\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7J=\n", "root hash is not canonical base64"),
        ("\(origin)\n1\nAAAA\n", "root hash is 3 bytes, want 32"),
        ("\(origin)\n1\n\n", "root hash is 0 bytes, want 32"),
    ])
    func malformedBodyIsRejected(body: String, detail: String) {
        #expect(throws: NoteError(.malformedCheckpoint, detail)) { try Checkpoint(parsingBody: body) }
    }

    @Test func invalidFieldsAreRejectedAtConstruction() {
        #expect(throws: NoteError(.malformedCheckpoint, "tree size -1 is negative")) {
            try Checkpoint(origin: origin, treeSize: -1, rootHash: sampleRoot)
        }
        #expect(throws: NoteError(.malformedCheckpoint, "line 1 is empty")) {
            try Checkpoint(origin: "", treeSize: 1, rootHash: sampleRoot)
        }
        #expect(throws: NoteError(.malformedCheckpoint, "line 1 contains control character 0x0a")) {
            try Checkpoint(origin: "a\nb", treeSize: 1, rootHash: sampleRoot)
        }
        #expect(throws: NoteError(.malformedCheckpoint, "line 5 is empty")) {
            try Checkpoint(origin: origin, treeSize: 1, rootHash: sampleRoot, extensions: ["x", ""])
        }
    }

    @Test func signingRejectsInvalidText() throws {
        let signer = try freshSigner(origin)
        #expect(throws: NoteError(.invalidText, "text does not end with a newline")) {
            try SignedNoteDocument.sign(text: "no newline", signers: [signer])
        }
        #expect(throws: NoteError(.invalidText, "text does not end with a newline")) {
            try SignedNoteDocument.sign(text: "", signers: [signer])
        }
        #expect(throws: NoteError(.invalidText, "control character 0x0d at byte 1")) {
            try SignedNoteDocument.sign(text: "a\r\n", signers: [signer])
        }
        #expect(throws: NoteError(.signingFailed, "no signers")) {
            try SignedNoteDocument.sign(text: "a\n", signers: [])
        }
        let error = #expect(throws: NoteError.self) { try SignedNoteDocument.sign(text: "a\n", signers: [signer, signer]) }
        #expect(error?.code == .duplicateSignature)
    }

    @Test func noteTextWithBlankLinesAndUnicodeRoundTrips() throws {
        let signer = try freshSigner("r\u{e9}sum\u{e9}.example")
        for text in ["\n", "a\n\n", "\n\nb\n", "ed \u{e8} subito sera \u{1F30A}\n\n\u{2014} x y\n"] {
            let bytes = try SignedNoteDocument.sign(text: text, signers: [signer])
            let note = try SignedNoteDocument(parsing: bytes)
            #expect(note.text == text)
            #expect(try note.verify([signer.verifierKey]) == [signer.verifierKey])
            #expect(note.serialized == bytes)
        }
    }
}
