import ClaimLedgerCore
import LedgerCrypto

/// One entry a claim rests on, with what it is.
struct ClaimEntry {
    let label: String
    let ref: EntryRef
}

/// Whether an entry is in the latest signed checkpoint's tree, checked here by building its inclusion
/// proof from the view's tree and verifying it against the checkpoint's signed root (`PageProofs`), for
/// the entry's hash as the verified state has it.
enum InclusionCheck {
    case included(checkpointSize: Int, proofLength: Int)
    case notYetCheckpointed(checkpointSize: Int?)
    case failed(String)

    static func check(_ ref: EntryRef, proofs: PageProofs) -> InclusionCheck {
        guard let cp = proofs.ledger.checkpoint else { return .notYetCheckpointed(checkpointSize: nil) }
        guard ref.seq < cp.size else { return .notYetCheckpointed(checkpointSize: cp.size) }
        do {
            let inclusion = try proofs.inclusion(ref.seq).inclusion
            guard inclusion.leafHash == ref.hash else {
                return .failed("entry \(ref.seq) has hash \(ref.hash.hex), the tree's leaf is \(inclusion.leafHash.hex)")
            }
            return .included(checkpointSize: cp.size, proofLength: inclusion.proof.hashes.count)
        } catch {
            return .failed("\(error)")
        }
    }
}

/// The claim page's verification panel (`id="verification"`): every entry the claim rests on with its
/// hash, signer and time, its inclusion in the latest signed checkpoint (verified server-side), and
/// that checkpoint's signers.
enum VerificationPanel {
    static func entries(_ r: ClaimRecord, in state: LedgerState) -> [ClaimEntry] {
        var out = [ClaimEntry(label: "claim", ref: r.entry)]
        var seen = Set<SHA256Digest>()
        for d in ClaimDocuments.citedSources(r) where seen.insert(d).inserted {
            guard let s = state.sources[d] else { continue }
            out.append(ClaimEntry(label: "source: " + s.payload.title, ref: s.entry))
            if let p = s.provenanceEntry { out.append(ClaimEntry(label: "provenance of " + s.payload.title, ref: p)) }
        }
        out += r.history.map { ClaimEntry(label: "status: " + $0.payload.status.rawValue, ref: $0.entry) }
        out += r.amends.map { a in
            switch a.payload.action {
            case .retract: ClaimEntry(label: "retraction", ref: a.entry)
            case .correct: ClaimEntry(label: "correction", ref: a.entry)
            }
        }
        out += r.positions.map { ClaimEntry(label: "position: " + $0.payload.party.name, ref: $0.entry) }
        out += r.links.map { ClaimEntry(label: "link: " + $0.payload.relation.rawValue + " " + $0.payload.to, ref: $0.entry) }
        out += r.linkedFrom.map { ClaimEntry(label: "link: " + $0.payload.from + " " + $0.payload.relation.rawValue, ref: $0.entry) }
        out += r.reviews.map { ClaimEntry(label: "review: " + $0.payload.decision.rawValue, ref: $0.entry) }
        return out.sorted { $0.ref.seq < $1.ref.seq }
    }

    /// The panel of `r`, with the proofs of `proofs` (which says which ledger the page shows).
    static func render(_ r: ClaimRecord, proofs: PageProofs) -> HTML {
        let ledger = proofs.ledger, state = ledger.state
        let list = entries(r, in: state)
        let checks = list.map { InclusionCheck.check($0.ref, proofs: proofs) }
        let onServer = !SiteRendering.current.isStatic
        let allIncluded = checks.allSatisfy { if case .included = $0 { true } else { false } }
        let anyFailed = checks.contains { if case .failed = $0 { true } else { false } }
        return el("section", .id("verification"), Attr("aria-labelledby", "verification-heading")) {
            el("h2", .id("verification-heading")) { "Verification" }
            if anyFailed {
                el("div", .class("warning-panel")) { el("strong") { "An inclusion proof failed to verify: do not trust this page; run claimledger verify." } }
            } else if allIncluded, let cp = ledger.checkpoint {
                el("div", .class("ok-panel")) {
                    el("p") {
                        el("strong") { "Every entry of this claim is in the signed checkpoint of \(cp.size) entries" }
                        ": the server built each inclusion proof and verified it against the checkpoint's signed root."
                    }
                }
            } else {
                el("div", .class("ok-panel")) {
                    el("p") {
                        el("strong") { "Every entry verifies" }
                        " (hash, chain, signature, signer's authority); "
                        if let cp = ledger.checkpoint { "some are newer than the latest signed checkpoint (\(cp.size) entries)." } else { "the ledger has no signed checkpoint yet." }
                    }
                }
            }
            if let cp = ledger.checkpoint {
                el("dl", .class("summary")) {
                    Parts.summaryRow("Latest checkpoint") { "\(cp.size) entries" }
                    Parts.summaryRow("Its root hash") { Parts.hash(cp.rootHash) }
                    Parts.summaryRow("Signed by") {
                        HTML.join(cp.signers.map { s in
                            HTML.ledger(s.name) + " (" + el("code", .class("hash")) { String(s.keyID.hex.prefix(16)) } + ")"
                        }, separator: .text(", "))
                    }
                }
            }
            el("div", .class("table-wrap")) {
                el("table") {
                    el("caption", .class("meta")) { "The ledger entries this claim rests on" }
                    el("thead") { el("tr") { el("th", Attr("scope", "col")) { "Entry" }; el("th", Attr("scope", "col")) { "What" }; el("th", Attr("scope", "col")) { "Hash, signer, time" }; el("th", Attr("scope", "col")) { "In the checkpoint" } } }
                    el("tbody") {
                        zip(list, checks).map { e, check in
                            el("tr") {
                                el("td") { "\(e.ref.seq)" }
                                el("td") { HTML.ledger(e.label) }
                                el("td") {
                                    Parts.hash(e.ref.hash)
                                    void("br")
                                    el("span", .class("meta")) {
                                        HTML.ledger(Parts.signerName(e.ref.signer, in: state)) + ", "
                                        el("time", Attr("datetime", e.ref.time.description)) { e.ref.time.description }
                                    }
                                }
                                el("td") {
                                    switch check {
                                    case .included(let size, let n):
                                        "✓ included ("
                                        if onServer {
                                            el("a", .href(SitePath("/api/v1/proofs/inclusion?seq=\(e.ref.seq)&size=\(size)"))) { "proof" }
                                        } else {
                                            el("a", Attr("href", "#claim-proof")) { "proof" }
                                        }
                                        " of \(n) hashes, verified)"
                                    case .notYetCheckpointed(let size?):
                                        "after the checkpoint of \(size)"
                                        if onServer {
                                            ": "
                                            el("a", .href(SitePath("/api/v1/proofs/inclusion?seq=\(e.ref.seq)&size=\(state.size)"))) { "proof in the current tree" }
                                        }
                                    case .notYetCheckpointed(nil): "no checkpoint yet"
                                    case .failed(let why): el("strong") { "✗ proof failed: " + HTML.ledger(why) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("p", .class("meta")) {
                "Check it yourself: "
                el("code") { "claimledger verify" }
                " and "
                el("code") { "claimledger prove inclusion SEQ" }
                ", or "
                el("a", .href(Paths.claimJSON(r.id))) { "this claim as JSON" }
                onServer ? "." : " (with the proofs this page checks)."
            }
        }
    }
}
