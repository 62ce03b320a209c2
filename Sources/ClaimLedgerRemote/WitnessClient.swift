import ClaimLedgerWitness
import LedgerCrypto
import SignedNote

/// The log's side of c2sp.org/tlog-witness: asks a witness to cosign a checkpoint. It first says it
/// knows of no earlier checkpoint (`old 0`); a witness that cosigned one answers 409 with its size, and
/// the request is made again from that size with the consistency proof `proof(size)` gives.
public enum WitnessClient {
    /// The witness's cosignature lines for `note` (a signed checkpoint of `size` entries), as the note's
    /// signatures; `witness` is the witness's submission prefix (`POST <witness>/add-checkpoint`).
    public static func cosignatures(note: [UInt8], size: Int, witness: String,
                                    proof: @Sendable (Int) throws -> [SHA256Digest]) async throws -> [NoteSignature] {
        let url = (witness.hasSuffix("/") ? String(witness.dropLast()) : witness) + "/add-checkpoint"
        var old = 0
        for _ in 0..<3 {
            let request = AddCheckpointRequest(oldSize: old, proof: old == 0 ? [] : try proof(old), note: note)
            let answer = try await HTTPFetch.post(url, body: request.serialized, limit: 64 << 10)
            switch answer.status {
            case 200:
                let cosigned = try SignedNoteDocument(parsing: note + answer.body)
                let own = try SignedNoteDocument(parsing: note)
                return Array(cosigned.signatures.dropFirst(own.signatures.count))
            case 409:
                let text = String(decoding: answer.body, as: UTF8.self)
                guard text.hasSuffix("\n"), let latest = Int(text.dropLast()), latest >= 0 else {
                    throw RemoteError("\(url) answered 409 without a tree size (\(text.prefix(40).debugDescription))")
                }
                guard latest <= size else {
                    throw RemoteError("\(url) has cosigned a checkpoint of \(latest) entries, more than this one's \(size): the log was rolled back (HTTP 409)")
                }
                guard latest != old else {
                    throw RemoteError("\(url) has cosigned another checkpoint of this log with \(old) entries, which this one does not extend: the log forked (HTTP 409)")
                }
                old = latest  // the witness's size (first contact, or another submitter got there first): ask from it
            case 422:
                throw RemoteError("\(url) found the checkpoint of \(size) entries inconsistent with the one of \(old) it cosigned: the log's history was rewritten (HTTP 422)")
            default:
                let detail = String(decoding: answer.body.prefix(500), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
                throw RemoteError("\(url) refused the checkpoint of \(size) entries (HTTP \(answer.status)): \(detail)")
            }
        }
        throw RemoteError("\(url) kept answering 409: another checkpoint of this log reached it meanwhile; try again")
    }
}
