import ClaimLedgerCore
import ClaimLedgerSite
import Hummingbird
import LedgerCrypto

/// The read side's pages (app-contract.md section 4); their JSON twins are in ReadAPI.swift.
/// Ids from the URL are only ever looked up in the view's in-memory state: a claim id must have the
/// ledger's claim-id syntax, a source id be hex; no request names a file.
enum ReadRoutes {
    static func register(on router: Router<AppRequestContext>, services: AppServices) {
        router.get("/claims") { request, context -> Response in
            let snapshot = try services.view.snapshot()
            return try services.pages.response(request, context: context, generation: snapshot.generation) {
                let filter = try ClaimFilter.parse(try QueryItems.of(request))
                let results = try services.search.search(filter, in: snapshot)
                let facets = try services.search.facets(in: snapshot)
                return HTMLPage(ClaimsListPage.render(results, facets: facets, chrome: Chrome(context, services: services, section: .claims)))
            }
        }
        router.get("/claims/:id") { request, context -> Response in
            let snapshot = try services.view.snapshot()
            return try services.pages.response(request, context: context, generation: snapshot.generation) {
                let record = try Lookup.claim(context.parameters.get("id"), in: snapshot.state)
                let html = ClaimPage.render(record, ledger: services.view.pageLedger(snapshot), sourceText: { services.view.sourceText($0) },
                                            chrome: Chrome(context, services: services, section: .claims),
                                            claimReview: services.config.claimReview)
                return HTMLPage(html)
            }
        }
        router.get("/sources") { request, context -> Response in
            let snapshot = try services.view.snapshot()
            return try services.pages.response(request, context: context, generation: snapshot.generation) {
                HTMLPage(SourcePages.list(snapshot.state, chrome: Chrome(context, services: services, section: .sources)))
            }
        }
        router.get("/sources/:id") { request, context -> Response in
            let snapshot = try services.view.snapshot()
            return try services.pages.response(request, context: context, generation: snapshot.generation) {
                let source = try Lookup.source(context.parameters.get("id"), in: snapshot.state)
                let bytes = try? services.view.sourceBytes(source.payload.sha256)
                return HTMLPage(SourcePages.page(source, bytes: bytes, state: snapshot.state,
                                                 chrome: Chrome(context, services: services, section: .sources)))
            }
        }
        router.get("/audit") { request, context -> Response in
            let snapshot = try services.view.snapshot()
            return try services.pages.response(request, context: context, generation: snapshot.generation) {
                HTMLPage(AuditPage.render(snapshot, chrome: Chrome(context, services: services, section: .audit)))
            }
        }
        ReadAPI.register(on: router, services: services)
    }
}

/// Finds what a URL names in the verified state, or a 404 problem that says what was wrong.
enum Lookup {
    static func claim(_ raw: String?, in state: LedgerState) throws(Problem) -> ClaimRecord {
        guard let id = raw, isClaimID(id) else {
            throw Problem(.notFound, code: "unknown-claim", detail: "not a claim id: claim ids are 3 to 64 of a-z, 0-9 and -, starting with a letter")
        }
        guard let r = state.claims[id] else {
            throw Problem(.notFound, code: "unknown-claim", detail: "no claim \(id) in this ledger (see /claims)")
        }
        return r
    }

    /// A source by its id (64 hex digits) or a unique prefix of at least 8.
    static func source(_ raw: String?, in state: LedgerState) throws(Problem) -> SourceRecord {
        guard let id = raw, (8...64).contains(id.utf8.count), id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw Problem(.notFound, code: "unknown-source", detail: "not a source id: a source id is the 64 lower-case hex digits of its SHA-256 (or 8 or more of them)")
        }
        if id.utf8.count == 64, let d = SHA256Digest(hex: id), let s = state.sources[d] { return s }
        let matches = state.sourceOrder.filter { $0.hex.hasPrefix(id) }
        guard matches.count == 1, let s = state.sources[matches[0]] else {
            throw Problem(.notFound, code: "unknown-source",
                          detail: matches.isEmpty ? "no source \(id) in this ledger (see /sources)" : "\(id) is the start of \(matches.count) source ids: give more digits")
        }
        return s
    }

    /// The ledger's claim-id syntax (FORMAT.md): a lower-case letter, then 2-63 of `a-z 0-9 -`.
    static func isClaimID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (3...64).contains(b.count), (0x61...0x7A).contains(b[0]) else { return false }
        return b.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
