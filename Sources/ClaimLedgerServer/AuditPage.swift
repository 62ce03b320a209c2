import ClaimLedgerCore
import ClaimLedgerSite
import LedgerCrypto

/// `GET /audit`: the ledger's verification result, the latest checkpoints, the keys and their roles,
/// the verdict scale.
enum AuditPage {
    static func render(_ snapshot: ViewSnapshot, chrome: Chrome) -> HTML {
        let state = snapshot.state
        return Layout.page(title: "Audit", chrome: chrome) {
            el("h1") { "Audit" }
            if let failure = snapshot.failure {
                el("div", .class("warning-panel"), Attr("role", "alert")) {
                    el("h2") { "The ledger does not verify past entry \(state.size - 1)" }
                    el("p") { HTML.ledger(failure) }
                    el("p") { "This server shows only the \(state.size) entries that verify. Run " + el("code") { "claimledger verify" } + " on the ledger." }
                }
            } else {
                el("div", .class("ok-panel")) {
                    el("h2") { "All \(state.size) entries verify" }
                    el("p") { "Form, hashes, chain, signatures, signers' authority, time, archived sources and quotes: checked by this server when it started, and each new entry as it was appended." }
                }
            }
            el("dl", .class("summary")) {
                Parts.summaryRow("Origin") { HTML.ledger(state.origin ?? "") }
                Parts.summaryRow("Entries") { "\(state.size)" }
                Parts.summaryRow("Head (last entry's hash)") { Parts.hash(state.head) }
                Parts.summaryRow("Tree root") { Parts.hash(state.rootHash) }
                if let g = state.genesisHash { Parts.summaryRow("Genesis (entry 0) hash, to pin") { Parts.hash(g) } }
                Parts.summaryRow("Claims, sources") { "\(state.claimOrder.count) claims, \(state.sourceOrder.count) sources" }
                if snapshot.warningCount > 0 { Parts.summaryRow("Warnings") { "\(snapshot.warningCount) (see /api/v1/verification)" } }
            }
            el("h2") { "Checkpoints" }
            if let cp = snapshot.checkpoint {
                el("p") {
                    "Signed checkpoints are stored for tree sizes "
                    cp.sizes.map(String.init).joined(separator: ", ")
                    ". The latest, of \(cp.size) entries, verifies against this ledger: its signature by an active root key and its root hash."
                }
                el("dl", .class("summary")) {
                    Parts.summaryRow("Signed by") { HTML.join(cp.signers.map { HTML.ledger($0.name) }, separator: .text(", ")) }
                    Parts.summaryRow("Root hash") { Parts.hash(cp.rootHash) }
                    if cp.size < state.size { Parts.summaryRow("Entries since") { "\(state.size - cp.size) (not yet in a signed checkpoint)" } }
                }
                el("pre", .class("note")) { String(decoding: cp.note, as: UTF8.self) }
                el("p") {
                    el("a", .href(SitePath("/api/v1/checkpoints"))) { "Every checkpoint (JSON)" }
                    if cp.size < state.size {
                        " · "
                        el("a", .href(SitePath("/api/v1/proofs/consistency?from=\(cp.size)&to=\(state.size)"))) { "consistency proof from it to the current tree" }
                    }
                }
            } else {
                el("p") { "No signed checkpoint is stored yet (" + el("code") { "claimledger checkpoint" } + " signs one with a root key)." }
            }
            el("h2") { "Keys" }
            el("div", .class("table-wrap")) {
                el("table") {
                    el("thead") {
                        el("tr") {
                            el("th", Attr("scope", "col")) { "Name" }
                            el("th", Attr("scope", "col")) { "Role" }
                            el("th", Attr("scope", "col")) { "Key id" }
                            el("th", Attr("scope", "col")) { "Added" }
                            el("th", Attr("scope", "col")) { "Revoked" }
                        }
                    }
                    el("tbody") {
                        state.keyOrder.compactMap { state.keys[$0] }.map { k in
                            el("tr") {
                                el("td") { HTML.ledger(k.name) }
                                el("td") { k.role.rawValue }
                                el("td") { Parts.hash(k.keyID) }
                                el("td") { "entry \(k.added)" }
                                el("td") { k.revoked.map { "entry \($0)" } ?? "no" }
                            }
                        }
                    }
                }
            }
            if !state.scaleOrder.isEmpty {
                el("h2") { "Verdict scale" }
                el("dl", .class("summary")) {
                    state.scaleOrder.compactMap { state.scale[$0] }.map { d in
                        Parts.summaryRow(d.label.label) { HTML.ledger(d.label.description) + el("span", .class("meta")) { " (ClaimReview: " + HTML.ledger(d.label.rating.alternateName) + ", \(d.label.rating.ratingValue) of \(d.label.rating.worstRating)–\(d.label.rating.bestRating))" } }
                    }
                }
            }
        }
    }
}
