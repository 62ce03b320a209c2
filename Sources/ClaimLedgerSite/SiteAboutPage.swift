import ClaimLedgerCore

/// A static site's `about.html`: what the site is, what it was made from (the ledger's origin, size and
/// checkpoint, its keys) and every file a reader or an auditor can take away and check.
public enum SiteAboutPage {
    public static func render(_ ledger: PageLedger, published: Int, options: ClaimReviewOptions, chrome: Chrome) -> HTML {
        let state = ledger.state
        return Layout.page(title: "About and checking", chrome: chrome) {
            el("h1") { "About these fact checks and how to check them" }
            el("p", .class("lead")) {
                HTML.ledger(options.publisher)
                " publishes \(published == 1 ? "1 fact check" : "\(published) fact checks") from its ledger "
                el("code") { HTML.ledger(state.origin ?? "") }
                ": an append-only, hash-chained record in which every claim, status, review and key is an entry signed with Ed25519."
            }
            el("dl", .class("summary")) {
                Parts.summaryRow("Ledger entries") { "\(state.size)" }
                Parts.summaryRow("Last entry") { Parts.hash(state.head) }
                if let cp = ledger.checkpoint {
                    Parts.summaryRow("Signed checkpoint") { "\(cp.size) entries, root " + Parts.hash(cp.rootHash) }
                    Parts.summaryRow("Signed by") {
                        HTML.join(cp.signers.map { s in HTML.ledger(s.name) + " (" + el("code", .class("hash")) { s.keyID.hex } + ")" }, separator: .text(", "))
                    }
                } else {
                    Parts.summaryRow("Signed checkpoint") { "none yet: claim pages cannot check themselves until the newsroom signs one" }
                }
            }
            el("h2") { "Check a claim page" }
            el("p") {
                "Each claim page carries its signed entries, their inclusion proofs, the signed checkpoint and the ledger's public keys, "
                "and checks them in your browser (section “Check this page yourself”). It trusts the keys it carries: to check that the "
                "checkpoint is signed by the key you expect, compare the key id above with one the newsroom publishes elsewhere, or add "
                el("code") { "#pin=KEY-ID" }
                " to a claim page's address; the page then fails unless that key signed the checkpoint."
            }
            el("h2") { "Files" }
            el("ul") {
                el("li") { el("a", .href(Paths.exportDocument)) { "export.json" } + ": every published claim with its proofs (the ledger's export document, reviewed verdicts only)" }
                el("li") { el("a", .href(SitePath("/claimreview.json"))) { "claimreview.json" } + ": the same verdicts as schema.org ClaimReview" }
                el("li") { el("a", .href(Paths.atomFeed)) { "feed.atom" } + " and " + el("a", .href(Paths.jsonFeed)) { "feed.json" } + ": new and changed verdicts" }
                el("li") { el("a", .href(SitePath("/checkpoint"))) { "checkpoint" } + ": the latest signed checkpoint (a C2SP signed note)" }
                el("li") { el("a", .href(SitePath("/keys.json"))) { "keys.json" } + ": every key of the ledger, with its role and when it was added or revoked" }
            }
            el("h2") { "Keys" }
            el("div", .class("table-wrap")) {
                el("table") {
                    el("thead") { el("tr") { el("th", Attr("scope", "col")) { "Name" }; el("th", Attr("scope", "col")) { "Role" }; el("th", Attr("scope", "col")) { "Key id (SHA-256 of the public key)" } } }
                    el("tbody") {
                        state.keyOrder.compactMap { state.keys[$0] }.map { k in
                            el("tr") { el("td") { HTML.ledger(k.name) }; el("td") { k.role.rawValue }; el("td") { Parts.hash(k.keyID) } }
                        }
                    }
                }
            }
        }
    }
}
