import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite

/// `claimledger site --out DIR`: the verified ledger as a static public site (SiteWriter).
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Write the published fact checks as a static site that any web server, object store or CDN can serve.",
        discussion: """
            Verifies the ledger in full first and refuses to publish one that does not verify. Only claims whose \
            current verdict an editor approved appear, with the sources they rest on. Each claim page carries its \
            signed entries, their inclusion proofs, the latest signed checkpoint and the ledger's keys, and checks them \
            in the reader's browser (it opens from disk too). Run it again after the ledger grows: only files whose \
            bytes changed are rewritten, and pages that are no longer published are removed. \
            --publisher and --base-url are required: the feeds (feed.atom, feed.json) and claimreview.json name the \
            publisher and link to the pages at <base-url>/claims/<id>.html (docs/AUDIT.md "Publishing a site").
            """)

    @Option(help: ArgumentHelp("The directory to write the site to (created if missing; not a ledger directory).", valueName: "dir"))
    var out: String
    @OptionGroup var publishing: PublisherOptions
    @Flag(help: "Print what was written as JSON.") var json = false
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        try runReporting {
            guard publishing.publisher != nil, publishing.baseURL != nil, let options = try publishing.claimReview() else {
                throw ValidationError("site needs --publisher NAME and --base-url URL (where the site will be served): the ledger records neither")
            }
            let bar = ProgressBar("verifying")
            let summary = try SiteWriter.write(ledger: ledger.ledger, to: out, options: options) { bar.update(done: $0, total: $1) }
            bar.finish()
            if json {
                let value: JSONValue = [
                    "out": .string(out), "entries": .number(Double(summary.entries)), "claims": .number(Double(summary.claims)),
                    "sources": .number(Double(summary.sources)), "checkpointSize": summary.checkpointSize.map { .number(Double($0)) } ?? .null,
                    "written": .number(Double(summary.written)), "unchanged": .number(Double(summary.unchanged)),
                    "removed": .number(Double(summary.removed)),
                ]
                Terminal.printJSON(value)
            } else {
                let checkpoint = summary.checkpointSize.map { "checkpoint \($0)" } ?? "no checkpoint yet: claim pages cannot check themselves"
                print("Wrote the site of \(summary.claims) published claims and \(summary.sources) sources (\(summary.entries) entries, \(checkpoint)) to \(out): \(summary.written) files written, \(summary.unchanged) unchanged, \(summary.removed) removed")
            }
        }
    }
}
