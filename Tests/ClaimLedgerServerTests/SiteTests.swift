import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite
import ClaimLedgerStorage
import Foundation
import ClaimLedgerServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// `claimledger site` (SiteWriter) on a copy of the committed ledger: what it publishes, that a re-run
/// rewrites only what changed, that it refuses a ledger that does not verify; and the static links.
@Suite("Static site") struct SiteTests {
    static let options = try! ClaimReviewOptions(publisher: "AFP Factuel", publisherURL: "https://factuel.afp.com",
                                                 baseURL: "https://factuel.example/checks")

    @Test func publishesOnlyApprovedVerdictsWithTheirProofs() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            let out = dir + "/site"
            let summary = try SiteWriter.write(ledger: ledger.ledger, to: out, options: Self.options)
            let state = try LedgerStore.open(ledger.ledger).verifiedState()
            let expected = state.claimOrder.compactMap { state.claims[$0] }.filter { ClaimReviewDocuments.approval(of: $0, in: state) != nil }
            #expect(summary.claims == expected.count)
            #expect(summary.claims > 0 && summary.claims < state.claims.count, "the seed ledger has unreviewed claims too")
            #expect(summary.checkpointSize == 394)
            let pages = try FileManager.default.contentsOfDirectory(atPath: out + "/claims").filter { $0.hasSuffix(".html") }
            #expect(Set(pages) == Set(expected.map { $0.id + ".html" }))

            let first = try #require(expected.first)
            let page = try String(contentsOfFile: out + "/claims/\(first.id).html", encoding: .utf8)
            #expect(page.contains(#"<script src="../assets/verify.js" defer></script>"#))
            #expect(page.contains(#"<script type="application/json" id="claim-proof">"#))
            #expect(page.contains(#"href="../index.html""#) && !page.contains(#"href="/"#), "every link is relative")
            #expect(page.contains(#"<script type="application/ld+json">"#))
            #expect(page.contains("https://factuel.example/checks/claims/\(first.id).html"))

            // The JSON twin is an export document of that one claim whose proofs are for the checkpoint.
            let twin = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: out + "/claims/\(first.id).json"))))
            #expect(twin["format"]?.stringValue == "claimledger-export/1")
            #expect(twin["proofTreeSize"]?.integerValue == 394)
            #expect(twin["claims"]?.arrayValue?.count == 1)
            #expect(twin["claims"]?.arrayValue?.first?["id"]?.stringValue == first.id)
            #expect((twin["claims"]?.arrayValue?.first?["proofs"]?.arrayValue?.count ?? 0) >= 2)
            #expect(twin["checkpoint"]?.stringValue == String(decoding: try Data(contentsOf: URL(fileURLWithPath: out + "/checkpoint")), as: UTF8.self))

            let atom = try String(contentsOfFile: out + "/feed.atom", encoding: .utf8)
            #expect(atom.components(separatedBy: "<entry>").count - 1 == expected.count)
            let feed = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: out + "/feed.json"))))
            #expect(feed["items"]?.arrayValue?.count == expected.count)
            #expect(feed["version"]?.stringValue == "https://jsonfeed.org/version/1.1")
        }
    }

    @Test func aRerunRewritesOnlyWhatChangedAndRemovesWhatIsGone() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            let out = dir + "/site"
            let first = try SiteWriter.write(ledger: ledger.ledger, to: out, options: Self.options)
            #expect(first.unchanged == 0 && first.removed == 0)
            let again = try SiteWriter.write(ledger: ledger.ledger, to: out, options: Self.options)
            #expect(again.written == 0 && again.unchanged == first.written && again.removed == 0)

            // A damaged page is rewritten; a page of an earlier run that is no longer published is removed;
            // a file the site never wrote is left alone.
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: out + "/index.html"))
            try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/claims/withdrawn-claim.html"))
            try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/robots.txt"))
            let list = try String(contentsOfFile: out + "/.claimledger-files", encoding: .utf8)
            try Data((list + "claims/withdrawn-claim.html\n").utf8).write(to: URL(fileURLWithPath: out + "/.claimledger-files"))
            let third = try SiteWriter.write(ledger: ledger.ledger, to: out, options: Self.options)
            #expect(third.written == 1 && third.removed == 1)
            #expect(!FileManager.default.fileExists(atPath: out + "/claims/withdrawn-claim.html"))
            #expect(FileManager.default.fileExists(atPath: out + "/robots.txt"))
        }
    }

    @Test func refusesALedgerThatDoesNotVerifyAndWritesNothing() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            let path = ledger.ledger + "/entries.jsonl"
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let at = try #require(bytes.range(of: Data("Ukraine".utf8))).lowerBound
            bytes[at] = UInt8(ascii: "u")
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self) { try SiteWriter.write(ledger: ledger.ledger, to: dir + "/site", options: Self.options) }
            #expect(!FileManager.default.fileExists(atPath: dir + "/site/index.html"))
        }
    }

    @Test func refusesToWriteIntoALedgerOrWithoutABaseURL() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            #expect(throws: StoreError.self) { try SiteWriter.write(ledger: ledger.ledger, to: ledger.ledger, options: Self.options) }
            let noBase = try ClaimReviewOptions(publisher: "AFP Factuel")
            #expect(throws: LedgerError.self) { try SiteWriter.write(ledger: ledger.ledger, to: dir + "/site", options: noBase) }
        }
    }

    @Test func theServerShowsTheSameSelfCheckingClaimPages() async throws {
        try await withApp(seed: true) { ledger, client in
            let state = try LedgerStore.open(ledger.ledger).verifiedState()
            let id = try #require(state.claimOrder.first { state.claims[$0].map { ClaimReviewDocuments.approval(of: $0, in: state) != nil } ?? false })
            let page = try await client.fetch("/claims/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<script src="/static/verify.js" defer></script>"#))
            #expect(page.body.contains(#"<script type="application/json" id="claim-proof">{"checkpoint":"#))
            #expect(page.body.contains(#"id="self-check-result""#))
            let script = try await client.fetch("/static/verify.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
        }
    }

    @Test func theServerServesTheFeedsWhenItKnowsThePublisher() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            var config = ServerConfig(ledger: ledger.ledger)
            config.claimReview = Self.options
            let state = try LedgerStore.open(ledger.ledger).verifiedState()
            let published = state.claimOrder.compactMap { state.claims[$0] }.filter { ClaimReviewDocuments.approval(of: $0, in: state) != nil }
            try await AppBuilder.application(services: try AppBuilder.services(config)).test(.router) { client in
                let atom = try await client.fetch("/feed.atom")
                #expect(atom.status == .ok)
                #expect(atom.headers[.contentType] == "application/atom+xml; charset=utf-8")
                #expect(atom.body.components(separatedBy: "<entry>").count - 1 == published.count)
                #expect(atom.body.contains(#"href="https://factuel.example/checks/claims/\#(published[0].id)"/>"#), "server pages have no .html")
                let feed = try await client.fetch("/feed.json")
                #expect(feed.status == .ok)
                #expect(try JSONParser.parse(Array(feed.body.utf8))["items"]?.arrayValue?.count == published.count)
            }
            try await AppBuilder.application(services: try AppBuilder.services(ServerConfig(ledger: ledger.ledger))).test(.router) { client in
                let none = try await client.fetch("/feed.atom")
                #expect(none.status == .notFound)
                #expect(none.body.contains("--publisher"))
            }
        }
    }

    @Test(arguments: [
        ("/claims", 0, "index.html"), ("/claims", 1, "../index.html"), ("/claims/a-claim", 1, "../claims/a-claim.html"),
        ("/claims?claimant=A%20B", 1, "../index.html?claimant=A%20B"), ("/sources", 0, "sources/index.html"),
        ("/sources/abc#q12", 1, "../sources/abc.html#q12"), ("/static/app.css", 1, "../assets/app.css"),
        ("/api/v1/claims/a-claim", 1, "../claims/a-claim.json"), ("/api/v1/sources/abc/text", 1, "../sources/sha256/abc"),
        ("/audit", 0, "about.html"), ("/feed.atom", 2, "../../feed.atom"),
    ])
    func staticLinksAreRelativeFiles(path: String, depth: Int, expected: String) {
        #expect(SiteRendering(target: .staticSite(depth: depth)).href(SitePath(path)) == expected)
        #expect(SiteRendering(target: .server).href(SitePath(path)) == path)
    }
}
