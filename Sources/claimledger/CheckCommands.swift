import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import SignedNote

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify proofs offline, against signed checkpoints.",
        subcommands: [Inclusion.self, Consistency.self])

    struct Inclusion: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an inclusion proof (from `prove inclusion --json`), optionally against a signed checkpoint.")
        @Argument(help: ArgumentHelp("The proof JSON file (- for stdin).", valueName: "proof")) var proof: String
        @Option(help: ArgumentHelp("A file holding the entry's line from entries.jsonl: its leaf hash is recomputed and must be the proof's.", valueName: "file"))
        var entry: String?
        @OptionGroup var trust: CheckpointTrust
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let doc = try ProofDocuments.parseInclusion(try readJSON(proof))
                if let entry {
                    var line = try InputFiles.read(entry, limit: LedgerLimits.maxLineBytes + 2, what: "entry line")
                    while line.last == 0x0A || line.last == 0x0D { line.removeLast() }
                    let parsed = try SignedEntry.parse(line: line)
                    try expect(parsed.hash == doc.leafHash, code: .hashMismatch,
                               "the entry's leaf hash is \(parsed.hash.hex), the proof's \(doc.leafHash.hex)")
                    try expect(parsed.entry.seq == Int(doc.proof.leafIndex), code: .seqMismatch,
                               "the entry is seq \(parsed.entry.seq), the proof is for index \(doc.proof.leafIndex)")
                }
                if let cp = try trust.open() {
                    try expect(cp.treeSize == doc.proof.treeSize, code: .checkpointMismatch, "the proof is for tree size \(doc.proof.treeSize), the checkpoint for \(cp.treeSize)")
                    try expect(cp.rootHash == doc.rootHash, code: .checkpointMismatch, "the proof's root \(doc.rootHash.hex) is not the checkpoint's \(cp.rootHash.hex)")
                }
                do { try ProofVerifier.verifyInclusion(doc.proof, leafHash: doc.leafHash, rootHash: doc.rootHash) } catch {
                    throw LedgerError(.hashMismatch, "inclusion proof rejected: \(error)")
                }
                report(ok: "leaf \(doc.leafHash.hex) is entry \(doc.proof.leafIndex) of the tree of \(doc.proof.treeSize) with root \(doc.rootHash.hex)",
                       json: output.json)
            }
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a consistency proof (from `prove consistency --json`), optionally against two signed checkpoints.")
        @Argument(help: ArgumentHelp("The proof JSON file (- for stdin).", valueName: "proof")) var proof: String
        @Option(help: ArgumentHelp("The older signed checkpoint.", valueName: "file")) var old: String?
        @Option(help: ArgumentHelp("The newer signed checkpoint.", valueName: "file")) var new: String?
        @OptionGroup var trust: CheckpointTrust
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let doc = try ProofDocuments.parseConsistency(try readJSON(proof))
                for (file, size, root, which) in [(old, doc.proof.oldSize, doc.oldRoot, "old"), (new, doc.proof.newSize, doc.newRoot, "new")] {
                    guard let file else { continue }
                    let cp = try trust.open(file)
                    try expect(cp.treeSize == size, code: .checkpointMismatch, "the proof's \(which) size is \(size), the checkpoint's \(cp.treeSize)")
                    try expect(cp.rootHash == root, code: .checkpointMismatch, "the proof's \(which) root \(root.hex) is not the checkpoint's \(cp.rootHash.hex)")
                }
                do { try ProofVerifier.verifyConsistency(doc.proof, oldRoot: doc.oldRoot, newRoot: doc.newRoot) } catch {
                    throw LedgerError(.hashMismatch, "consistency proof rejected: \(error)")
                }
                report(ok: "the tree of \(doc.proof.oldSize) entries is a prefix of the tree of \(doc.proof.newSize)", json: output.json)
            }
        }
    }
}

/// Which checkpoint, and which keys may have signed it: `--verifier-key` (note verifier keys), else the
/// active root keys of the ledger at `--ledger`.
struct CheckpointTrust: ParsableArguments {
    @Option(help: ArgumentHelp("A signed checkpoint to check against.", valueName: "file")) var checkpoint: String?
    @Option(parsing: .singleValue, help: ArgumentHelp("A trusted note verifier key name+hex+base64 (repeatable; default: the ledger's root keys).", valueName: "key"))
    var verifierKey: [String] = []
    @Option(help: ArgumentHelp("The ledger whose origin and root keys to trust, without --verifier-key.", valueName: "dir"))
    var ledger: String = "ledger"
    @OptionGroup var witnesses: WitnessPolicyOptions

    func open() throws -> Checkpoint? {
        guard let checkpoint else { return nil }
        return try open(checkpoint)
    }

    /// The checkpoint at `path`, signed by a trusted key and cosigned by the witness quorum.
    func open(_ path: String) throws -> Checkpoint {
        let checkpoint = try openCheckpoint(path, verifierKeys: verifierKey, ledger: ledger)
        try witnesses.check(checkpointAt: path)
        return checkpoint
    }
}

/// Opens a signed checkpoint with the given note verifier keys, or else the active root keys of `ledger`
/// (then its origin must be the ledger's).
func openCheckpoint(_ path: String, verifierKeys: [String], ledger: String) throws -> Checkpoint {
    try openCheckpoint(path, verifierKeys: verifierKeys, state: verifierKeys.isEmpty ? try LedgerStore.open(ledger).verifiedState() : nil)
}

func openCheckpoint(_ path: String, verifierKeys: [String], state: LedgerState?) throws -> Checkpoint {
    let bytes = try InputFiles.read(path, limit: NoteLimits.maxNoteBytes, what: "checkpoint")
    let keys: [NoteVerifierKey]
    if verifierKeys.isEmpty {
        let size = try CheckpointFile.unverifiedSize(path)
        keys = state.map { CheckpointFiles.verifierKeys($0, atSize: size) } ?? []
    } else {
        keys = try verifierKeys.map { k throws(LedgerError) in
            do { return try NoteVerifierKey(parsing: k) } catch { throw LedgerError(.invalidInput, "bad --verifier-key: \(error)") }
        }
    }
    // Against a ledger, the checkpoint must be of that ledger: its origin is the genesis origin.
    guard let origin = state?.origin ?? keys.first?.name, !keys.isEmpty else {
        throw LedgerError(.checkpointRejected, "checkpoint \(path): no trusted key to check it with (no root key active at its size; pass --verifier-key)")
    }
    do { return try Checkpoint.open(bytes, verifiers: keys, origin: origin).checkpoint } catch {
        throw LedgerError(.checkpointRejected, "checkpoint \(path) rejected: \(error)")
    }
}

func readJSON(_ path: String) throws -> JSONValue {
    let bytes = path == "-" ? readStandardInput(limit: 1 << 20) : try InputFiles.read(path, limit: 1 << 20, what: "proof")
    do { return try JSONParser.parse(bytes) } catch { throw LedgerError(.invalidInput, "\(path): invalid JSON: \(error)") }
}

func expect(_ condition: Bool, code: LedgerError.Code, _ reason: @autoclosure () -> String) throws(LedgerError) {
    if !condition { throw LedgerError(code, reason()) }
}

func report(ok message: String, json: Bool) {
    if json { Terminal.printJSON(["ok": true, "detail": .string(message)]) } else { print("OK: \(message)") }
}

enum CheckpointFile {
    /// The tree size a checkpoint file states, before its signature is checked.
    static func unverifiedSize(_ path: String) throws -> Int {
        let bytes = try InputFiles.read(path, limit: NoteLimits.maxNoteBytes, what: "checkpoint")
        do {
            let note = try SignedNoteDocument(parsing: bytes)
            return Int(try Checkpoint(parsingBody: note.text).treeSize)
        } catch {
            throw LedgerError(.checkpointRejected, "checkpoint \(path) is malformed: \(error)")
        }
    }
}
