import ClaimLedgerCore
import ClaimLedgerServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ReviewQueueTests {
    @Test func anEditorApprovesAVerdictFromTheQueue() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("eve")
            let queue = try await browser.get("/review")
            #expect(queue.status == .ok)
            #expect(queue.body.contains("data-claim=\"drone-claim\""))
            #expect(queue.body.contains("Awaiting sign-off (1)"))
            let csrf = try #require(queue.csrf)
            let answer = try await browser.post("/claims/drone-claim/review", [("csrf", csrf), ("decision", "approve"), ("note", "")])
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/claims/drone-claim")
            #expect(try newsroom.state().claims["drone-claim"]?.isReviewed == true)
            let after = try await browser.get("/review")
            #expect(!after.body.contains("data-claim=\"drone-claim\""))
            #expect(try newsroom.verify().failure == nil)
        }
    }

    @Test func sendingBackNeedsANoteAndListsTheClaimApart() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("eve")
            let csrf = try await browser.csrf("/review")
            let before = try newsroom.entries()
            let refused = try await browser.post("/claims/drone-claim/review", [("csrf", csrf), ("decision", "return"), ("note", "")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("<p class=\"field-error\" id=\"note-error\">"))
            #expect(refused.body.contains("<div class=\"error-summary\" role=\"alert\""))
            #expect(try newsroom.entries() == before)
            let noChoice = try await browser.post("/claims/drone-claim/review", [("csrf", csrf), ("note", "x")])
            #expect(noChoice.body.contains("id=\"decision-error\""))

            let sent = try await browser.post("/claims/drone-claim/review", [("csrf", csrf), ("decision", "return"), ("note", "Quote Kyiv's denial <b>verbatim</b>.")])
            #expect(sent.status == .seeOther)
            let claim = try #require(try newsroom.state().claims["drone-claim"])
            #expect(claim.currentReviews.last?.payload.decision == .return)
            #expect(!claim.isReviewed)
            let queue = try await browser.get("/review")
            #expect(queue.body.contains("Awaiting sign-off (0)"))
            #expect(queue.body.contains("Sent back (1)"))
            #expect(queue.body.contains("&lt;b&gt;verbatim&lt;/b&gt;"))
        }
    }

    @Test func anEditorCannotSignOffTheirOwnStatus() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("eve")
            let csrf = try await browser.csrf("/review")
            let status = try await browser.post("/claims/drone-claim/status", [
                ("csrf", csrf), ("status", "refuted"), ("rationale", "Eve's own."), ("verdict", "false"),
                ("spanSource", newsroom.sourceID), ("spanQuote", "ce que Kiev dément"),
            ])
            #expect(status.status == .seeOther)
            let queue = try await browser.get("/review")
            #expect(queue.body.contains("You signed this status"))
            let before = try newsroom.entries()
            let refused = try await browser.post("/claims/drone-claim/review", [("csrf", csrf), ("decision", "approve")])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("same-signer") || refused.body.contains("signed"))
            #expect(try newsroom.entries() == before)
            // Another editor may.
            let ed = Browser(client)
            try await ed.login("ed")
            #expect(try await ed.post("/claims/drone-claim/review", [("csrf", try await ed.csrf("/review")), ("decision", "approve")]).status == .seeOther)
        }
    }
}
