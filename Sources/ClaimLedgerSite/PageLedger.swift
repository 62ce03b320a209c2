import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import SignedNote

/// What the pages are rendered from: a verified state of the ledger with its records, the latest
/// verified checkpoint, the tree of the state's entries and a reader of entry lines. The server makes
/// one from its view's snapshot; `claimledger site` from a ledger it has just verified.
public struct PageLedger {
    public let state: LedgerState
    public let checkpoint: CheckpointStatus?
    /// The stored hashes of the tree of `state.size` entries.
    public let tree: any HashReader
    /// The line (without LF) of a verified entry, for the proofs a claim page carries; nil: no proofs.
    public let line: ((Int) throws -> [UInt8])?

    public init(state: LedgerState, checkpoint: CheckpointStatus?, tree: any HashReader, line: ((Int) throws -> [UInt8])?) {
        self.state = state
        self.checkpoint = checkpoint
        self.tree = tree
        self.line = line
    }

    /// What a claim page's proofs are checked against: the latest checkpoint (nil when none is stored:
    /// the page then carries no proofs).
    public var proofTarget: ExportDocuments.ProofTarget? {
        if let cp = checkpoint {
            return .init(size: cp.size, root: cp.rootHash, note: cp.note, verifierKeys: cp.verifierKeys)
        }
        return nil
    }

    /// The claim as an export document of its own, with the proofs of its entries (FORMAT.md 11), or nil
    /// when the ledger has no checkpoint yet or there are no lines to read.
    public func claimDocument(_ record: ClaimRecord) throws -> JSONValue? {
        try claimDocument(record, proofs: PageProofs(self))
    }

    /// `claimDocument`, with its inclusion proofs from `proofs` (which keeps them for the page's panel).
    func claimDocument(_ record: ClaimRecord, proofs: PageProofs) throws -> JSONValue? {
        guard let line, let target = proofTarget else { return nil }
        return try ExportDocuments.claimDocument(record, in: state, target: target, inclusion: proofs.inclusion, line: line)
    }
}

/// The inclusion proofs of one page's entries in the tree of its ledger's proof target (the latest
/// checkpoint), each built and verified once: a claim page shows them in its verification panel and
/// carries them in its self-check document. Kept for one page only (a whole site's would be every
/// entry's proof).
final class PageProofs {
    let ledger: PageLedger
    private var known: [Int: ExportDocuments.VerifiedInclusion] = [:]
    /// How many proofs were built (tests: each entry's once).
    private(set) var built = 0

    init(_ ledger: PageLedger) { self.ledger = ledger }

    /// Entry `seq`'s proof (`ExportDocuments.verifiedInclusion`); throws when there is no checkpoint.
    func inclusion(_ seq: Int) throws -> ExportDocuments.VerifiedInclusion {
        if let proof = known[seq] { return proof }
        guard let target = ledger.proofTarget else {
            throw LedgerError(.invalidInput, "entry \(seq) has no inclusion proof to show: the ledger has no checkpoint")
        }
        built += 1
        let proof = try ExportDocuments.verifiedInclusion(seq: seq, target: target, tree: ledger.tree)
        known[seq] = proof
        return proof
    }
}

/// The largest stored checkpoint, verified: its note, its signers (by key name), its root.
public struct CheckpointStatus: Sendable {
    public let size: Int
    public let rootHash: SHA256Digest
    public let note: [UInt8]
    /// The ledger keys whose signatures on the note verify: (key id, name).
    public let signers: [(keyID: SHA256Digest, name: String)]
    /// Every stored checkpoint size, ascending.
    public let sizes: [Int]
    /// The signed-note verifier keys (FORMAT.md 14.2) of the root keys active at `size`.
    public let verifierKeys: [String]

    public init(size: Int, rootHash: SHA256Digest, note: [UInt8], signers: [(keyID: SHA256Digest, name: String)], sizes: [Int],
                verifierKeys: [String]) {
        self.size = size
        self.rootHash = rootHash
        self.note = note
        self.signers = signers
        self.sizes = sizes
        self.verifierKeys = verifierKeys
    }
}

extension CheckpointStatus {
    /// The largest stored checkpoint of the ledger in `directory`, after every stored checkpoint was
    /// checked against `state` and its tree (FORMAT.md 14.2); nil when none is stored.
    public static func latest(in directory: String, state: LedgerState, tree: any HashReader) throws -> CheckpointStatus? {
        let files = CheckpointFiles(ledgerDirectory: directory)
        guard let latest = try files.latestVerified(state, tree: tree) else { return nil }
        let opened = try Checkpoint.open(latest.note, verifiers: latest.keys, origin: state.origin ?? "")
        let signers = opened.verifiedBy.map { key in
            (keyID: key.publicKey.keyID, name: state.keys[key.publicKey.keyID]?.name ?? key.publicKey.keyID.hex)
        }
        return CheckpointStatus(size: latest.size, rootHash: opened.checkpoint.rootHash, note: latest.note, signers: signers,
                                sizes: files.sizes(), verifierKeys: latest.keys.map(\.encoded))
    }
}
