import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import SignedNote

struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign a checkpoint of the verified ledger (C2SP tlog-checkpoint), store it and print it.",
        discussion: "Stored as checkpoints/<size> in the ledger. The key must be an active root key; the note's key name is the ledger's origin.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signing: SigningOptions
    @Option(name: .customLong("witness"), parsing: .singleValue,
            help: ArgumentHelp("A witness to ask for a cosignature (its submission URL; repeatable; c2sp.org/tlog-witness).", valueName: "url"))
    var witnessURLs: [String] = []
    /// With --witness: the witnesses whose cosignatures are kept (each must give one), and how many are needed.
    @OptionGroup var witnesses: WitnessPolicyOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard witnesses.keys.isEmpty || !witnessURLs.isEmpty else { throw ValidationError("--witness-key applies to --witness URL: name the witnesses to ask") }
        guard witnessURLs.isEmpty || !witnesses.keys.isEmpty else {
            throw ValidationError("--witness needs --witness-key for each witness: only cosignatures by keys you name are kept")
        }
    }

    func run() throws {
        try runReporting {
            let store = try ledger.open()
            let key = try signing.load()
            let verified = try store.verifiedLedger()
            let (state, tree) = (verified.state, verified.tree)
            let record = try state.activeKey(key.publicKey.keyID, for: .source)
            guard record.role == .root else {
                throw LedgerError(.unauthorizedSigner, "checkpoints must be signed by an active root key of the ledger; \(key.publicKey.keyID.hex.prefix(16)) is not one")
            }
            let files = CheckpointFiles(ledgerDirectory: store.directory)
            _ = try files.latestVerified(state, tree: tree)
            guard let origin = state.origin else { throw LedgerError(.empty, "the ledger has no genesis entry") }
            let checkpoint = try Checkpoint(origin: origin, treeSize: Int64(state.size), rootHash: state.rootHash)
            var note = try checkpoint.sign(signers: [try NoteSigner(name: origin, privateKey: key)])
            if !witnessURLs.isEmpty {
                // Stored only once the quorum of witnesses cosigned it.
                note = try WitnessRequests.cosign(note: note, size: state.size, tree: tree, urls: witnessURLs, policy: witnesses)
            }
            try files.store(note, size: state.size)
            note = try files.read(size: state.size)
            if output.json {
                Terminal.printJSON(["origin": .string(origin), "treeSize": .number(Double(state.size)),
                                    "rootHash": .string(state.rootHash.hex), "signer": .string(record.name),
                                    "file": .string(files.path(forSize: state.size)), "note": .string(String(decoding: note, as: UTF8.self))])
            } else {
                print(String(decoding: note, as: UTF8.self), terminator: "")
            }
        }
    }
}

struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print RFC 6962 inclusion and consistency proofs from the ledger's tree.",
        subcommands: [Inclusion.self, Consistency.self])

    struct Inclusion: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The audit path of entry SEQ in the tree of the first N entries.")
        @Argument(help: ArgumentHelp("The entry's seq (its leaf index).", valueName: "seq")) var seq: Int
        @Option(help: ArgumentHelp("Tree size (default: the whole ledger).", valueName: "n")) var size: Int?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let answer = try ledger.open().inclusionProof(seq: seq, treeSize: size)
                emit(ProofDocuments.inclusion(answer.proof, leafHash: answer.leafHash, rootHash: answer.rootHash), json: output.json)
            }
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The proof that the tree of OLD entries is a prefix of the tree of NEW.")
        @Argument(help: ArgumentHelp("The older tree size.", valueName: "old")) var old: Int
        @Argument(help: ArgumentHelp("The newer tree size.", valueName: "new")) var new: Int
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let answer = try ledger.open().consistencyProof(old: old, new: new)
                emit(ProofDocuments.consistency(answer.proof, oldRoot: answer.oldRoot, newRoot: answer.newRoot), json: output.json)
            }
        }
    }
}

/// Proofs are JSON documents in both modes; without --json they are indented for reading.
func emit(_ document: JSONValue, json: Bool) {
    if json { Terminal.printJSON(document); return }
    guard let o = document.objectValue else { return }
    for key in o.keys.sorted() where key != "proof" {
        print("\(key): \(o[key].map(render) ?? "")")
    }
    print("proof:")
    for h in o["proof"]?.arrayValue ?? [] { print("  \(h.stringValue ?? "")") }
}

private func render(_ v: JSONValue) -> String {
    if let s = v.stringValue { return s }
    if let n = v.integerValue { return String(n) }
    return "\(v)"
}
