import CanonicalJSON

/// The claim page's self-check (issue 13, "Claim pages that verify themselves"): the claim as an
/// export document of its own (FORMAT.md 11) in a JSON data block `#claim-proof`, and the section where
/// `verify.js` (VerifyScript.swift) reports what it checked in the reader's browser. Without JavaScript
/// the section says how to check the same data with the command-line tool.
enum SelfCheckSection {
    static func render(_ document: JSONValue, claimID: String) -> HTML {
        el("section", .id("self-check"), Attr("aria-labelledby", "self-check-heading")) {
            el("h2", .id("self-check-heading")) { "Check this page yourself" }
            el("p", .id("self-check-result"), Attr("role", "status"), Attr("data-state", "pending")) {
                "This page carries the signed ledger entries of this claim, their inclusion proofs, the signed "
                "checkpoint and the ledger's public keys. With JavaScript on, your browser checks them here, "
                "with nothing fetched from elsewhere. Without JavaScript, the same data is this claim's "
                el("a", .href(Paths.claimJSON(claimID))) { "export document" }
                ", which any verifier written from the ledger's published format can check."
            }
            el("ol", .id("self-check-details"))
            HTML.jsonData(id: "claim-proof", document)
        }
    }
}
