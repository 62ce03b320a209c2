import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Merkle

extension VerifiedLedger {
    /// Writes the export document (FORMAT.md "Export") to `out` as it is produced, in RFC 8785 form
    /// followed by LF: byte for byte what canonicalizing the whole document would give, with memory
    /// bounded by a chunk of claims. Claims are rendered on all cores, chunk by chunk, in ledger order.
    /// Each claim carries, for each entry it rests on, that entry's line and its inclusion proof in the
    /// tree of the latest stored checkpoint the ledger extends (or of the whole ledger), each proof
    /// checked against that tree's root before it is written. `progress` gets (entries scanned, entries).
    public func writeExport(status: ClaimStatus?, reviewedOnly: Bool = false, to out: OutputStreamFile,
                            progress: ((Int, Int) -> Void)? = nil) throws {
        let target = try proofTarget()
        let members = ExportDocuments.header(state, target: target, statusFilter: status, reviewedOnly: reviewedOnly)
        let (proofSize, root) = (target.size, target.root)

        try out.write("{")
        for (i, name) in (Array(members.keys) + ["claims"]).sorted().enumerated() {
            if i > 0 { try out.write(",") }
            try out.write(try JCS.canonicalize(.string(name)) + [0x3A])
            if let value = members[name] { try out.write(try JCS.canonicalize(value)) } else {
                try writeClaims(status: status, reviewedOnly: reviewedOnly, proofSize: proofSize, root: root, to: out, progress: progress)
            }
        }
        try out.write("}\n")
    }

    private func writeClaims(status: ClaimStatus?, reviewedOnly: Bool, proofSize: Int, root: SHA256Digest, to out: OutputStreamFile,
                             progress: ((Int, Int) -> Void)?) throws {
        guard let entryIndex = index.entryIndex else { throw IndexDamage("no entry index") }
        try out.write("[")
        var first = true
        let context = ExportContext(ledger: self, status: status, reviewedOnly: reviewedOnly, linkedFrom: try index.linksByTarget(in: file),
                                    proofSize: proofSize, root: root)
        var start = 0
        while start < state.size {
            let range = start..<min(state.size, start + 65_536)
            let claimSeqs = try entryIndex.seqs(of: .claim, in: range)
            for chunkStart in stride(from: 0, to: claimSeqs.count, by: 1024) {
                let chunk = Array(claimSeqs[chunkStart..<min(claimSeqs.count, chunkStart + 1024)])
                for result in ParallelMap.map(chunk, { seq in Result { try context.value.render(seq) } }) {
                    guard let bytes = try result.get() else { continue }
                    if !first { try out.write(",") }
                    first = false
                    try out.write(bytes)
                }
                progress?(chunk.last.map { $0 + 1 } ?? range.upperBound, state.size)
            }
            start = range.upperBound
            progress?(start, state.size)
        }
        try out.write("]")
    }

    /// The canonical bytes of the claim whose claim entry is `seq`, or nil when `status` filters it out.
    fileprivate func render(_ seq: Int, context: ExportContext) throws -> [UInt8]? {
        let (status, proofSize, root) = (context.status, context.proofSize, context.root)
        var record = try index.claimRecord(seq: seq, in: file)
        if let status, record.status != status { return nil }
        if context.reviewedOnly && !record.isReviewed { return nil }
        for l in context.linkedFrom[record.id] ?? [] { record.add(.link(l.payload), entry: l.entry, asTarget: true) }
        var failure: Error?
        let json = ClaimDocuments.claim(record, in: state) { s -> JSONValue? in
            guard s < proofSize, failure == nil else { return nil }
            do { return try self.proofItem(s, size: proofSize, root: root) } catch { failure = error; return nil }
        }
        if let failure { throw failure }
        return try JCS.canonicalize(json)
    }

    /// `{seq, line, inclusion}` of entry `seq` in the tree of `size` entries whose root is `root`.
    private func proofItem(_ seq: Int, size: Int, root: SHA256Digest) throws -> JSONValue {
        // The line was verified moments ago and is not parsed again; its hash is checked against the tree.
        try ExportDocuments.proofItem(seq: seq, line: try index.line(seq, in: file),
                                      target: .init(size: size, root: root, note: nil, verifierKeys: []), tree: tree)
    }

    /// What proofs are for: the latest stored checkpoint the ledger extends (all of them checked, 14.2),
    /// or the whole ledger when none is stored.
    public func proofTarget() throws -> ExportDocuments.ProofTarget {
        guard let (latest, note, keys) = try CheckpointFiles(ledgerDirectory: directory).latestVerified(state, tree: tree) else {
            return .init(size: state.size, root: try rootHash(size: state.size), note: nil, verifierKeys: [])
        }
        return .init(size: latest, root: try rootHash(size: latest), note: note, verifierKeys: keys.map(\.encoded))
    }

    /// The line of entry `seq` (without its LF), read through the writers' index.
    public func line(_ seq: Int) throws -> [UInt8] { try index.line(seq, in: file) }

}

/// What the export's workers share. They only read: the index, the entries and the tree through `pread`.
private struct ExportContext: @unchecked Sendable {
    let ledger: VerifiedLedger
    let status: ClaimStatus?
    let reviewedOnly: Bool
    /// Every link, by the claim it points to.
    let linkedFrom: [String: [Recorded<LinkPayload>]]
    let proofSize: Int
    let root: SHA256Digest

    var value: Self { self }

    func render(_ seq: Int) throws -> [UInt8]? {
        try ledger.render(seq, context: self)
    }
}
