import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Pages") struct PageTests {
    @Test func rootRedirectsToClaimsAndHealthzIsOK() async throws {
        try await withApp { _, client in
            let root = try await client.fetch("/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/claims")
            let health = try await client.fetch("/healthz")
            #expect(health.status == .ok)
            #expect(health.body == "ok")
        }
    }

    @Test func claimsListShowsEveryClaimWithLayout() async throws {
        try await withApp { _, client in
            let page = try await client.fetch("/claims")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.body.hasPrefix("<!DOCTYPE html>"))
            #expect(page.body.contains(##"<a class="skip-link" href="#main">"##))
            #expect(page.body.contains(#"<main id="main""#))
            #expect(page.body.contains(#"href="/claims/drone-claim""#))
            #expect(page.body.contains(#"href="/claims/summit-claim""#))
            #expect(page.body.contains("3 claims"))
            #expect(!page.body.contains("id=\"whoami\""), "nobody is signed in")
            #expect(page.body.contains(#"<script src="/static/app.js" defer></script>"#))
        }
    }

    @Test func claimsListFilters() async throws {
        try await withApp { _, client in
            let disputed = try await client.fetch("/claims?status=disputed")
            #expect(disputed.body.contains("/claims/drone-claim"))
            #expect(!disputed.body.contains("/claims/summit-claim\""))
            let search = try await client.fetch("/claims?q=paris+summit")
            #expect(search.body.contains("/claims/summit-claim"))
            #expect(!search.body.contains("/claims/drone-claim\""))
            let claimant = try await client.fetch("/claims?claimant=Kremlin")
            #expect(claimant.body.contains("1 claim"))
            let bad = try await client.fetch("/claims?status=bogus")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("status must be one of"))
        }
    }

    @Test func claimPageShowsQuoteInContextHistoryAndVerificationPanel() async throws {
        try await withApp { ledger, client in
            let page = try await client.fetch("/claims/drone-claim")
            #expect(page.status == .ok)
            #expect(page.body.contains("The Kremlin accused Ukraine"))
            #expect(page.body.contains("<mark><a href=\"/sources/\(ledger.sourceID)#q"))
            #expect(page.body.contains(#"id="verification""#))
            #expect(page.body.contains("disputed"))
            #expect(page.body.contains("Kyiv denies it."))
            #expect(page.body.contains("signed by "))
            #expect(page.body.contains("no checkpoint yet"))
        }
    }

    /// A source of a textual media type whose bytes are not all valid UTF-8 is not shown as text: a quote
    /// from it appears on its own, without the context around it, on every page that quotes it (the view
    /// keeps each source's validity, and must keep the right answer).
    @Test func aQuoteFromASourceThatIsNotValidUTF8IsShownWithoutContext() async throws {
        try await withApp { ledger, client in
            let store = try LedgerStore.open(ledger.ledger)
            let bytes = Array("Le communiqué tient en une phrase. ".utf8) + [0xFF, 0xFE] + Array(" Fin du fichier.".utf8)
            let source = SourceDraft(bytes: bytes, title: "Communiqué abîmé", publisher: "AFP", url: "https://example.org/afp/damaged",
                                     published: CalendarDate("2026-01-06")!, language: "fr", mediaType: "text/plain")
            _ = try store.append([.source(source, ref: nil)], key: ledger.desk, time: TestLedger.time(7))
            for (minute, id) in [(8, "damaged-one"), (9, "damaged-two")] {
                _ = try store.append([.claim(ClaimDraft(id: id, statement: "The statement is one sentence long.", language: "en",
                                                        claimant: "AFP", date: nil,
                                                        quotes: [QuoteDraft(source: source.payload.id, text: "tient en une phrase")], status: nil))],
                                     key: ledger.desk, time: TestLedger.time(minute))
            }
            for id in ["damaged-one", "damaged-two", "damaged-one"] {
                let page = try await client.fetch("/claims/\(id)")
                #expect(page.status == .ok)
                #expect(page.body.contains("tient en une phrase"))
                #expect(!page.body.contains("quote-context"), "\(id)")
                #expect(!page.body.contains("Fin du fichier"), "\(id)")
            }
            let valid = try await client.fetch("/claims/drone-claim")
            #expect(valid.body.contains(#"class="quote-context""#))
        }
    }

    @Test func seedClaimPageVerifiesInclusionInTheSignedCheckpoint() async throws {
        try await withApp(seed: true) { _, client in
            let page = try await client.fetch("/claims/kremlin-accuses-ukraine-drone-attack-putin-residence")
            #expect(page.status == .ok)
            #expect(page.body.contains("Every entry of this claim is in the signed checkpoint of 394 entries"))
            #expect(page.body.contains("✓ included"))
            #expect(!page.body.contains("proof failed"))
            #expect(page.body.contains("newsroom-root"))
            #expect(page.body.contains("class=\"position stance-denies\""))
            #expect(page.body.contains("Related claims"))
            let list = try await client.fetch("/claims?q=drones")
            #expect(list.status == .ok)
            #expect(list.body.contains("kremlin-accuses-ukraine-drone-attack-putin-residence"))
        }
    }

    @Test func unknownClaimIs404Page() async throws {
        try await withApp { _, client in
            let page = try await client.fetch("/claims/no-such-claim")
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.body.contains("unknown-claim"))
            let nowhere = try await client.fetch("/nowhere")
            #expect(nowhere.status == .notFound)
        }
    }

    /// Any claim id has its page: the new-claim form lives outside /claims/, where no id can shadow it.
    @Test func aClaimWhoseIdIsNewHasItsPage() async throws {
        try await withApp { ledger, client in
            try ledger.appendRaw(claimID: "new", statement: "A claim whose id reads like a form's.", minute: 50)
            let page = try await client.fetch("/claims/new")
            #expect(page.status == .ok)
            #expect(page.body.contains("A claim whose id reads like a form&#39;s."))
            let form = try await client.fetch("/new-claim")
            #expect(form.status != .ok, "the form is for signed-in journalists: \(form.status)")
        }
    }

    @Test func sourcesListAndSourcePageMarkEveryQuote() async throws {
        try await withApp { ledger, client in
            let list = try await client.fetch("/sources")
            #expect(list.status == .ok)
            #expect(list.body.contains("/sources/\(ledger.sourceID)"))
            let page = try await client.fetch("/sources/\(ledger.sourceID)")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"id="source-text""#))
            #expect(page.body.contains("data-source=\"\(ledger.sourceID)\""))
            #expect(page.body.contains(#"<mark id="q"#))
            #expect(page.body.contains(#"href="/claims/drone-claim""#))
            #expect(page.body.contains(#"href="/claims/summit-claim""#))
            #expect(!page.body.contains("\r"), "carriage returns are not rendered (offsets stay exact)")
            #expect(page.body.contains("data-b=\"0\""))
            let prefix = try await client.fetch("/sources/\(ledger.sourceID.prefix(12))")
            #expect(prefix.status == .ok)
        }
    }

    @Test func sourceRunsCarryExactByteOffsets() async throws {
        try await withApp { ledger, client in
            let page = try await client.fetch("/sources/\(ledger.sourceID)")
            let bytes = Array(TestLedger.article.utf8)
            // Every run's text (unescaped) is the source's bytes at its data-b offset.
            let pattern = try Regex(#"<span data-b="([0-9]+)">([^<]*)</span>"#)
            var runs = 0
            for match in page.body.matches(of: pattern) {
                let offset = Int(match.output[1].substring!)!
                let text = String(match.output[2].substring!)
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
                let utf8 = Array(text.utf8)
                #expect(Array(bytes[offset..<(offset + utf8.count)]) == utf8, "run at \(offset)")
                runs += 1
            }
            #expect(runs >= 5)
        }
    }

    @Test func auditPageShowsVerificationCheckpointsAndKeys() async throws {
        try await withApp(seed: true) { _, client in
            let page = try await client.fetch("/audit")
            #expect(page.status == .ok)
            #expect(page.body.contains("All 394 entries verify"))
            #expect(page.body.contains("178, 394"))
            #expect(page.body.contains("desk-journalist"))
            #expect(page.body.contains("newsroom-editor"))
            #expect(page.body.contains("editor"))
        }
    }

    @Test func staticAssetsAreServedWithETag() async throws {
        try await withApp { _, client in
            let css = try await client.fetch("/static/app.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            let etag = try #require(css.headers[.eTag])
            let again = try await client.fetch("/static/app.css", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let js = try await client.fetch("/static/app.js")
            #expect(js.status == .ok)
            #expect(js.body.contains("Record a claim") || js.body.contains("/new-claim?source="))
            #expect(try await client.fetch("/static/../Package.swift").status == .notFound)
            #expect(try await client.fetch("/static/nope.js").status == .notFound)
        }
    }
}
