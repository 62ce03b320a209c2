@testable import ClaimLedgerServer
import ClaimLedgerCore
import ClaimLedgerStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Pages for readers without a session are kept until the ledger changes (PageCache): a second
/// reader gets the same bytes without a render, a write by anyone shows at once, and a signed-in
/// reader's page (their name, their CSRF token) is never kept nor served to anyone else.
@Suite("Page cache") struct PageCacheTests {
    @Test func anAnonymousPageIsRenderedOnceUntilTheLedgerChanges() async throws {
        let newsroom = try Newsroom()
        let services = try newsroom.services()
        try await AppBuilder.application(services: services).test(.router) { client in
            let first = try await client.fetch("/claims/drone-claim")
            #expect(first.status == .ok)
            #expect(services.pages.counts == (hits: 0, misses: 1))
            let second = try await client.fetch("/claims/drone-claim")
            #expect(second.body == first.body)
            #expect(services.pages.counts == (hits: 1, misses: 1))
            // Another URL (a query string too) is another page.
            _ = try await client.fetch("/claims?status=disputed")
            _ = try await client.fetch("/claims?status=refuted")
            #expect(services.pages.counts == (hits: 1, misses: 3))

            // Another writer (the CLI's way: its own store, the same lock) records a status.
            let store = try LedgerStore.open(newsroom.ledger)
            _ = try store.append([.status(StatusDraft(claim: "drone-claim", status: .corroborated, rationale: "A second source confirms the accusation was made.",
                                                      evidence: [newsroom.sourceID]))], key: newsroom.desk, time: Timestamp(secondsSinceEpoch: 1_800_000_100))
            let third = try await client.fetch("/claims/drone-claim")
            #expect(third.body != first.body)
            #expect(third.body.contains("A second source confirms the accusation was made."))
            #expect(services.pages.counts == (hits: 1, misses: 4), "the change is a miss, never a stale page")
            let fourth = try await client.fetch("/claims/drone-claim")
            #expect(fourth.body == third.body)
            #expect(services.pages.counts == (hits: 2, misses: 4))
        }
    }

    @Test func aSignedInReadersPageIsNeitherKeptNorServedToOthers() async throws {
        let newsroom = try Newsroom()
        let services = try newsroom.services()
        try await AppBuilder.application(services: services).test(.router) { client in
            let browser = Browser(client)
            #expect(try await browser.login("desk").status == .seeOther)
            let mine = try await browser.get("/claims/drone-claim")
            #expect(mine.body.contains("<span id=\"whoami\">"))
            let again = try await browser.get("/claims/drone-claim")
            #expect(again.body.contains("<span id=\"whoami\">"))
            #expect(services.pages.counts == (hits: 0, misses: 0), "a session's pages bypass the cache")
            let anonymous = try await client.fetch("/claims/drone-claim")
            #expect(!anonymous.body.contains("whoami"))
            #expect(!anonymous.body.contains("name=\"csrf\""))
        }
    }

    @Test func theCacheStaysWithinItsBounds() async throws {
        let newsroom = try Newsroom()
        let base = try newsroom.services()
        let (claim, list) = try await AppBuilder.application(services: base).test(.router) { client in
            (try await client.fetch("/claims/drone-claim").body.utf8.count, try await client.fetch("/claims").body.utf8.count)
        }
        // A page over the per-page limit is never kept.
        let tiny = AppServices(config: base.config, view: base.view, write: base.write, pages: PageCache(maxBytes: 1 << 20, maxPageBytes: claim - 1))
        try await AppBuilder.application(services: tiny).test(.router) { client in
            for _ in 0..<3 {
                let page = try await client.fetch("/claims/drone-claim")
                #expect(page.status == .ok)
            }
            #expect(tiny.pages.counts == (hits: 0, misses: 3))
        }
        // Room for one page only: each new page sweeps the other out.
        let one = AppServices(config: base.config, view: base.view, write: base.write,
                              pages: PageCache(maxBytes: max(claim, list) + 64, maxPageBytes: 1 << 20))
        try await AppBuilder.application(services: one).test(.router) { client in
            for uri in ["/claims/drone-claim", "/claims/drone-claim", "/claims", "/claims/drone-claim", "/claims", "/claims"] {
                let page = try await client.fetch(uri)
                #expect(page.status == .ok)
            }
            #expect(one.pages.counts == (hits: 2, misses: 4))
        }
    }
}
