// libFuzzer target: c2sp.org/signed-note parsing and the tlog-checkpoint body. Properties: no crash on any
// input; an accepted note serializes back to exactly its input; an accepted body re-encodes to exactly its
// text; a checkpoint rebuilt from its fields is equal.
import SignedNote

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let note = try? SignedNoteDocument(parsing: bytes) {
        guard note.serialized == bytes else { fatalError("an accepted note does not serialize back to its input") }
        guard let again = try? SignedNoteDocument(parsing: note.serialized), again == note else {
            fatalError("a serialized note does not parse again to the same note")
        }
        checkBody(note.text)
    }
    // The body parser on its own, on any text.
    checkBody(String(decoding: bytes, as: UTF8.self))
    return 0
}

private func checkBody(_ text: String) {
    guard let checkpoint = try? Checkpoint(parsingBody: text) else { return }
    guard Array(checkpoint.body.utf8) == Array(text.utf8) else { fatalError("an accepted body does not re-encode to its text") }
    guard let rebuilt = try? Checkpoint(origin: checkpoint.origin, treeSize: checkpoint.treeSize,
                                        rootHash: checkpoint.rootHash, extensions: checkpoint.extensions),
          rebuilt == checkpoint else { fatalError("a checkpoint rebuilt from its fields differs") }
}
