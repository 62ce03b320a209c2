import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

/// What `claimledger site` wrote.
public struct SiteSummary: Sendable {
    public let entries: Int
    public let claims: Int
    public let sources: Int
    public let checkpointSize: Int?
    public let written: Int
    public let unchanged: Int
    public let removed: Int
}

/// `claimledger site --out DIR` (issue 13, "A public site anyone can host"): the verified ledger as a
/// static, read-only site, rendered by the same page functions as the newsroom server (with relative
/// links, `SiteRendering`). Only published claims appear: those whose current verdict an editor approved
/// and that are not retracted (`ClaimReviewDocuments.approval`), with the sources they rest on.
///
/// Layout: `index.html` (the claims, with filters that work without a server), `claims/ID.html` and its
/// JSON twin `claims/ID.json` (the claim as an export document with its proofs, which the page checks in
/// the reader's browser), `sources/index.html`, `sources/HEX.html`, `sources/sha256/HEX` (the archived
/// bytes), `about.html`, `export.json`, `claimreview.json`, `feed.atom`, `feed.json`, `keys.json`,
/// `checkpoint`, `assets/`. Incremental: a file is replaced only when its bytes change, and files of an
/// earlier run that this one no longer makes are removed (`OutputDirectory`).
public enum SiteWriter {
    /// Verifies the ledger in `directory` in full (refusing to publish one that does not verify), then
    /// writes the site to `out`. `options.baseURL` is required: feeds and ClaimReview links are absolute.
    public static func write(ledger directory: String, to out: String, options: ClaimReviewOptions,
                             progress: ((Int, Int) -> Void)? = nil) throws -> SiteSummary {
        guard let base = options.baseURL else {
            throw LedgerError(.invalidInput, "a site needs --base-url URL (where it will be served): its feeds and ClaimReview links are absolute")
        }
        var options = options
        options.claimPageSuffix = ".html"
        let store = try LedgerStore.open(directory)
        let verified = try store.verifiedLedger(progress: progress)
        // The pages need every claim's record, which the verification above does not keep: replay the
        // same entries (under its shared lock, so they are the same) keeping records.
        let replay = try store.verify(resume: AuditState(state: LedgerState(), offset: 0))
        guard replay.report.failure == nil, replay.state.size == verified.state.size, replay.state.head == verified.state.head else {
            throw LedgerError(.invalidInput, "the ledger changed or failed while it was read (\(replay.state.size) entries replayed, \(verified.state.size) verified): run it again")
        }
        let state = replay.state
        let checkpoint = try CheckpointStatus.latest(in: directory, state: state, tree: verified.tree)
        let ledger = PageLedger(state: state, checkpoint: checkpoint, tree: verified.tree, line: { try verified.line($0) })
        let records = state.claimOrder.compactMap { state.claims[$0] }.filter { ClaimReviewDocuments.approval(of: $0, in: state) != nil }
        let published = Set(records.map(\.id))
        let sources = publishedSources(records, in: state)
        let files = try OutputDirectory(out)

        func page(_ path: String, depth: Int, _ render: () -> HTML) throws {
            let rendering = SiteRendering(target: .staticSite(depth: depth), published: published, siteName: options.publisher)
            try files.write(path, SiteRendering.$current.withValue(rendering) { render() }.bytes)
        }
        let sourceBytes: (SHA256Digest) -> [UInt8]? = { try? store.archive.contents(of: $0) }
        var utf8Sources = [SHA256Digest: Bool]()  // each source validated once, not once per claim quoting it
        let sourceText: (SHA256Digest) -> [UInt8]? = { digest in
            guard let bytes = sourceBytes(digest) else { return nil }
            if utf8Sources[digest] == nil { utf8Sources[digest] = Parts.isUTF8(bytes) }
            return utf8Sources[digest] == true ? bytes : nil
        }

        for asset in SiteAssets.all { try files.write("assets/" + asset.name, asset.text) }
        try page("index.html", depth: 0) { SiteIndexPage.render(records, state: state, chrome: Chrome(section: .claims)) }
        try page("about.html", depth: 0) { SiteAboutPage.render(ledger, published: records.count, options: options, chrome: Chrome(section: .audit)) }
        for r in records {
            let proofs = PageProofs(ledger)
            let document = try ledger.claimDocument(r, proofs: proofs)
            try page("claims/\(r.id).html", depth: 1) {
                ClaimPage.render(r, proofs: proofs, proofDocument: document, sourceText: sourceText,
                                 chrome: Chrome(section: .claims), claimReview: options)
            }
            if let document { try files.write("claims/\(r.id).json", try JCS.canonicalize(document) + [0x0A]) }
        }
        try page("sources/index.html", depth: 1) { SourcePages.list(state, chrome: Chrome(section: .sources), only: sources) }
        for d in state.sourceOrder where sources.contains(d) {
            guard let source = state.sources[d] else { continue }
            let bytes = sourceBytes(d)
            try page("sources/\(d.hex).html", depth: 1) { SourcePages.page(source, bytes: bytes, state: state, chrome: Chrome(section: .sources)) }
            if let bytes { try files.write("sources/sha256/\(d.hex)", bytes) }
        }
        try files.stream("export.json") { try verified.writeExport(status: nil, reviewedOnly: true, to: $0) }
        try files.stream("claimreview.json") { try verified.writeClaimReviewExport(options: options, to: $0) }
        let items = VerdictFeeds.items(records, in: state)
        try files.write("feed.atom", VerdictFeeds.atom(items, state: state, options: options, base: base))
        try files.write("feed.json", try JCS.canonicalize(VerdictFeeds.jsonFeed(items, options: options, base: base)) + [0x0A])
        try files.write("keys.json", try JCS.canonicalize(ClaimDocuments.keys(in: state)) + [0x0A])
        if let checkpoint { try files.write("checkpoint", checkpoint.note) }
        try files.finish()
        return SiteSummary(entries: state.size, claims: records.count, sources: sources.count, checkpointSize: checkpoint?.size,
                           written: files.written, unchanged: files.unchanged, removed: files.removed)
    }

    /// The sources the published claims cite, and the sources those republish (their provenance's
    /// `republishes.source`, followed to the end), so that no published page links to a missing one.
    static func publishedSources(_ records: [ClaimRecord], in state: LedgerState) -> Set<SHA256Digest> {
        var out = Set<SHA256Digest>()
        var pending = records.flatMap(ClaimDocuments.citedSources)
        while let d = pending.popLast() {
            guard out.insert(d).inserted else { continue }
            if case .source(let origin)? = state.sources[d]?.provenance?.republishes { pending.append(origin) }
        }
        return out
    }
}
