import LedgerCrypto
import SignedNote
import Testing

@Suite struct NoteVectorTests {
    @Test func goExampleNoteVerifies() throws {
        let key = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        let note = try SignedNoteDocument(parsing: try vectorBytes("go-peterneumann.note"))
        #expect(note.text == goExampleText)
        #expect(note.signatures.map(\.name) == ["PeterNeumann"])
        #expect(note.signatures[0].keyID == 0xc74f_20a3)
        #expect(note.signatures[0].signature.count == 64)
        #expect(try note.verify([key]) == [key])
        #expect(note.serialized == (try vectorBytes("go-peterneumann.note")))
    }

    @Test func goExampleKeyIDsAndEncodings() throws {
        let peter = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        #expect(peter.name == "PeterNeumann")
        #expect(peter.keyID == 0xc74f_20a3)
        #expect(peter.encoded == (try vectorKey("PeterNeumann.vkey")))
        // The key ID is recomputed from name and key, not taken from the string.
        #expect(try NoteVerifierKey(name: "PeterNeumann", publicKey: peter.publicKey) == peter)
        let enoch = try NoteVerifierKey(parsing: try vectorKey("EnochRoot.vkey"))
        #expect(enoch.keyID == 0xaf0c_fe78)
        // SHA-256("PeterNeumann" || 0x0A || 0x01 || key)[0:4], spelled out.
        let digest = SHA256.hash(Array("PeterNeumann\n".utf8) + [0x01] + peter.publicKey.rawRepresentation)
        #expect(digest.hex.hasPrefix("c74f20a3"))
    }

    @Test func goExampleSignatureIsReproducedFromTheSignerKey() throws {
        let signer = try NoteSigner(parsing: try vectorKey("PeterNeumann.skey"))
        #expect(signer.verifierKey.encoded == (try vectorKey("PeterNeumann.vkey")))
        let note = try SignedNoteDocument.sign(text: goExampleText, signers: [signer])
        #expect(note == (try vectorBytes("go-peterneumann.note")))
    }

    @Test func unknownCosignatureIsKeptAndIgnored() throws {
        let peter = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        let enoch = try NoteVerifierKey(parsing: try vectorKey("EnochRoot.vkey"))
        let note = try SignedNoteDocument(parsing: try vectorBytes("go-peterneumann-enochroot.note"))
        #expect(note.signatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(try note.verify([peter]) == [peter])
        #expect(try note.verify([enoch]) == [enoch])
        #expect(try note.verify([enoch, peter]) == [peter, enoch])
        #expect(note.serialized == (try vectorBytes("go-peterneumann-enochroot.note")))
    }

    @Test func unknownSignaturesOnlyAreRejected() throws {
        let enoch = try NoteVerifierKey(parsing: try vectorKey("EnochRoot.vkey"))
        let note = try SignedNoteDocument(parsing: try vectorBytes("go-peterneumann.note"))
        let error = #expect(throws: NoteError.self) { try note.verify([enoch]) }
        #expect(error?.code == .unverifiedNote)
        #expect(error?.detail == "no signature by a known key (signed by PeterNeumann+c74f20a3)")
        #expect(throws: NoteError(.unverifiedNote, "no signature by a known key (signed by PeterNeumann+c74f20a3)")) {
            try note.verify([])
        }
    }

    @Test func c2spSignedNoteExampleSplitsAtTheLastBlankLine() throws {
        let note = try SignedNoteDocument(parsing: try vectorBytes("c2sp-signed-note-example.note"))
        #expect(note.text == "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u{e8} subito sera.\n")
        #expect(note.signatures.map(\.name) == ["quasimodo.example/salvatore"])
        #expect(note.signatures[0].signature.count == 64)
    }

    @Test func c2spCheckpointExampleParses() throws {
        let note = try SignedNoteDocument(parsing: try vectorBytes("c2sp-checkpoint-example.note"))
        let checkpoint = try Checkpoint(parsingBody: note.text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.treeSize == 20_852_163)
        #expect(checkpoint.extensions.isEmpty)
        #expect(checkpoint.body == note.text)
        let peter = try NoteVerifierKey(parsing: try vectorKey("PeterNeumann.vkey"))
        let error = #expect(throws: NoteError.self) {
            try Checkpoint.open(try vectorBytes("c2sp-checkpoint-example.note"), verifier: peter,
                                origin: "example.com/behind-the-sofa")
        }
        #expect(error?.code == .unverifiedNote)
    }
}
