import ClaimLedgerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every write route refuses anonymous users, wrong roles and missing CSRF tokens, and the ledger is
/// byte for byte what it was.
@Suite struct WriteAuthorizationTests {
    static func formRoutes(_ source: String) -> [(path: String, fields: [(String, String)], editorOnly: Bool)] {
        [
            ("/claims", [("source", source), ("quote", Newsroom.summitQuote), ("statement", "The summit took place on Tuesday."),
                         ("claimant", "AFP")], false),
            ("/claims/drone-claim/status", [("status", "corroborated"), ("rationale", "Two outlets.")], false),
            ("/claims/drone-claim/position", [("party", "Kyiv"), ("partyKind", "government"), ("stance", "denies"), ("source", source),
                                              ("quote", "ce que Kiev dément")], false),
            ("/claims/drone-claim/link", [("relation", "counters"), ("to", "drone-claim")], false),
            ("/claims/drone-claim/correct", [("reason", "Typo."), ("claimant", "The Kremlin")], false),
            ("/claims/drone-claim/retract", [("reason", "Recorded twice.")], false),
            ("/claims/drone-claim/review", [("decision", "approve")], true),
        ]
    }

    static func apiRoutes(_ source: String) -> [(path: String, json: String, editorOnly: Bool)] {
        [
            ("/api/v1/claims", #"{"source":"\#(source)","quote":"\#(Newsroom.summitQuote)","statement":"The summit took place.","claimant":"AFP"}"#, false),
            ("/api/v1/claims/drone-claim/statuses", #"{"status":"corroborated","rationale":"Two outlets."}"#, false),
            ("/api/v1/claims/drone-claim/positions", #"{"party":"Kyiv","partyKind":"government","stance":"denies","source":"\#(source)","quote":"ce que Kiev dément"}"#, false),
            ("/api/v1/claims/drone-claim/links", #"{"relation":"counters","to":"drone-claim"}"#, false),
            ("/api/v1/claims/drone-claim/corrections", #"{"reason":"Typo.","claimant":"The Kremlin"}"#, false),
            ("/api/v1/claims/drone-claim/retraction", #"{"reason":"Recorded twice."}"#, false),
            ("/api/v1/claims/drone-claim/reviews", #"{"decision":"approve"}"#, true),
        ]
    }

    @Test func anonymousFormPostsAreRefusedAndWriteNothing() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            for route in Self.formRoutes(newsroom.sourceID) {
                let page = try await browser.post(route.path, route.fields + [("csrf", "forged")])
                #expect(page.status == .forbidden, "\(route.path)")
                let bare = try await browser.post(route.path, route.fields)
                #expect(bare.status == .forbidden, "\(route.path)")
            }
            // Form pages send anonymous users to the login page.
            for path in ["/new-claim", "/claims/drone-claim/status", "/claims/drone-claim/position", "/claims/drone-claim/link",
                         "/claims/drone-claim/correct", "/claims/drone-claim/retract", "/review"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location == "/login?next=" + Browser.encode(path), "\(path)")
            }
        }
        #expect(try newsroom.entries() == before)
    }

    @Test func loggedInPostsWithoutTheSessionsTokenAreRefused() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("eve")
            let other = Browser(client)
            try await other.login("ed")
            let othersToken = try await other.csrf()
            for route in Self.formRoutes(newsroom.sourceID) {
                #expect(try await browser.post(route.path, route.fields).status == .forbidden, "\(route.path)")
                #expect(try await browser.post(route.path, route.fields + [("csrf", othersToken)]).status == .forbidden, "\(route.path)")
                #expect(try await browser.post(route.path, route.fields + [("csrf", "")]).status == .forbidden, "\(route.path)")
            }
        }
        #expect(try newsroom.entries() == before)
    }

    @Test func aJournalistCannotReview() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("desk")
            let token = try await browser.csrf()
            for route in Self.formRoutes(newsroom.sourceID) where route.editorOnly {
                #expect(try await browser.post(route.path, route.fields + [("csrf", token)]).status == .forbidden)
            }
            #expect(try await browser.get("/review").status == .forbidden)
            for route in Self.apiRoutes(newsroom.sourceID) where route.editorOnly {
                let (status, body) = try await apiPost(client, route.path, token: newsroom.tokens["desk"], json: route.json)
                #expect(status == .forbidden)
                #expect(body.contains("\"code\":\"forbidden\""))
            }
        }
        #expect(try newsroom.entries() == before)
    }

    @Test func apiWritesNeedAValidBearerToken() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("eve")  // a session cookie does not authenticate the API
            for route in Self.apiRoutes(newsroom.sourceID) {
                let anonymous = try await browser.send(route.path, method: .post, body: route.json, type: "application/json")
                #expect(anonymous.status == .unauthorized, "\(route.path)")
                #expect(anonymous.headers[.contentType] == "application/problem+json")
                #expect(anonymous.headers[.wwwAuthenticate] != nil)
                let (status, _) = try await apiPost(client, route.path, token: "clt_not-a-token", json: route.json)
                #expect(status == .unauthorized, "\(route.path)")
            }
        }
        #expect(try newsroom.entries() == before)
    }
}
