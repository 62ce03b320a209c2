import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSearch
import ClaimLedgerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct WriteAPITests {
    func json(_ body: String) throws -> JSONValue { try JSONParser.parse(body) }

    @Test func bearerTokenWritesAnswer201WithTheCLIsJSONShape() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let desk = newsroom.tokens["desk"], eve = newsroom.tokens["eve"]
            let (status, body) = try await apiPost(client, "/api/v1/claims", token: desk, json: """
                {"source":"\(newsroom.sourceID)","quote":"\(Newsroom.summitQuote)","statement":"The Paris summit took place on Tuesday.",
                 "claimant":"AFP","id":"summit-claim","status":"corroborated","rationale":"Several outlets.","evidence":["\(newsroom.sourceID.prefix(16))"]}
                """)
            #expect(status == .created, "\(body)")
            let doc = try json(body)
            #expect(doc["id"]?.stringValue == "summit-claim")
            let entries = try #require(doc["entries"]?.arrayValue)
            #expect(entries.count == 2)
            #expect(entries.map { $0["type"]?.stringValue } == ["claim", "status"])
            #expect(entries[0]["hash"]?.stringValue?.utf8.count == 64)
            #expect(entries[0]["seq"]?.integerValue == 8)

            let writes: [(String, String?, String, String)] = [
                ("/api/v1/claims/summit-claim/statuses", desk, #"{"status":"refuted","rationale":"It was Wednesday.","verdict":"false","spans":[{"source":"\#(newsroom.sourceID)","text":"s'est tenu mardi"}]}"#, "status"),
                ("/api/v1/claims/summit-claim/positions", desk, #"{"party":"Élysée","partyKind":"government","stance":"asserts","date":"2026-01-06","source":"\#(newsroom.sourceID)","quote":"\#(Newsroom.summitQuote)"}"#, "position"),
                ("/api/v1/claims/summit-claim/links", desk, #"{"relation":"context-for","to":"drone-claim"}"#, "link"),
                ("/api/v1/claims/summit-claim/reviews", eve, #"{"decision":"approve","note":"Checked."}"#, "review"),
                ("/api/v1/claims/summit-claim/corrections", eve, #"{"reason":"Kind.","kind":"substance"}"#, "amend"),
                ("/api/v1/claims/summit-claim/retraction", desk, #"{"reason":"Duplicate."}"#, "amend"),
            ]
            for (path, token, body, type) in writes {
                let (status, answer) = try await apiPost(client, path, token: token, json: body)
                #expect(status == .created, "\(path): \(answer)")
                #expect(try json(answer)["entries"]?.arrayValue?.first?["type"]?.stringValue == type, "\(path)")
            }
            let state = try newsroom.state()
            #expect(state.claims["summit-claim"]?.isRetracted == true)
            #expect(try newsroom.verify().failure == nil)
        }
    }

    /// The search index is brought up to date off the write's path, yet a search right after a write
    /// already finds it: a search never sees less than its snapshot.
    @Test func aSearchRightAfterAWriteFindsIt() async throws {
        let newsroom = try Newsroom()
        var services = try newsroom.services()
        let indexed = try #require(IndexClaimSearch.attach(to: services.view, logger: Logger(label: "test")))
        services.search = indexed
        try await AppBuilder.application(services: services).test(.router) { client in
            for i in 0..<12 {
                let word = "zorblat\(i)x"
                let (status, body) = try await apiPost(client, "/api/v1/claims/drone-claim/statuses", token: newsroom.tokens["desk"],
                                                       json: #"{"status":"disputed","rationale":"Checked again: \#(word)."}"#)
                #expect(status == .created, "\(body)")
                let found = try json(try await client.fetch("/api/v1/claims?q=\(word)").body)
                #expect(found["total"]?.integerValue == 1, "write \(i)")
                #expect(found["claims"]?.arrayValue?.first?["id"]?.stringValue == "drone-claim")
            }
        }
    }

    /// Without any search, the index still follows the writes on its own, `followDelay` after them: the
    /// index file describes the ledger's size once the delay has passed, and not before.
    @Test func theIndexFollowsWritesAfterItsDelay() async throws {
        let newsroom = try Newsroom()
        var services = try newsroom.services()
        let indexed = try #require(IndexClaimSearch.attach(to: services.view, logger: Logger(label: "test"), followDelay: .seconds(4)))
        services.search = indexed
        let file = try SearchIndex.open(ledgerDirectory: newsroom.ledger)  // the same file, read beside the server's
        let before = try #require(try file.indexedSize()).size
        let started = ContinuousClock.now  // the first change, and so the index's timer, comes after this
        try await AppBuilder.application(services: services).test(.router) { client in
            for i in 0..<3 {
                let (status, body) = try await apiPost(client, "/api/v1/claims/drone-claim/statuses", token: newsroom.tokens["desk"],
                                                       json: #"{"status":"disputed","rationale":"Followed \#(i)."}"#)
                #expect(status == .created, "\(body)")
            }
        }
        let size = try newsroom.state().size
        #expect(size == before + 3)
        let early = try file.indexedSize()?.size
        // On a machine too busy to make 3 writes within the delay, the timer may have fired: nothing to check.
        if ContinuousClock.now - started < .seconds(4) { #expect(early == before, "indexed before its delay") }
        var reached = false
        for _ in 0..<150 where !reached {
            try await Task.sleep(for: .milliseconds(100))
            reached = try file.indexedSize()?.size == size
        }
        #expect(reached, "the index did not follow the writes within 15 s")
    }

    @Test func badBodiesAre4xxProblemsAndWriteNothing() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        try await newsroom.app().test(.router) { client in
            let desk = newsroom.tokens["desk"]
            let cases: [(String, String, Int, String)] = [
                ("/api/v1/claims/drone-claim/statuses", #"{"status":"refuted","rationale":"R","colour":"red"}"#, 422, "invalid-input"),
                ("/api/v1/claims/drone-claim/statuses", #"{"status":1,"rationale":"R"}"#, 422, "invalid-input"),
                ("/api/v1/claims/drone-claim/statuses", #"{"status":"refuted""#, 400, "json"),
                ("/api/v1/claims/drone-claim/statuses", #"[]"#, 422, "invalid-input"),
                ("/api/v1/claims/drone-claim/statuses", #"{"status":"refuted","rationale":"R","verdict":"nope","spans":[{"source":"\#(newsroom.sourceID)","text":"ce que Kiev dément"}]}"#, 422, "unknown-label"),
                ("/api/v1/claims/no-such-claim/statuses", #"{"status":"refuted","rationale":"R"}"#, 404, "unknown-claim"),
                ("/api/v1/claims", #"{"source":"\#(newsroom.sourceID)","quote":"\#(Newsroom.twiceQuote)","statement":"S","claimant":"C"}"#, 422, "quote-ambiguous"),
                ("/api/v1/claims", #"{"source":"\#(newsroom.sourceID)","quote":"absent","statement":"S","claimant":"C"}"#, 422, "quote-not-found"),
                ("/api/v1/claims", #"{"source":"0123456789abcdef","quote":"q","statement":"S","claimant":"C"}"#, 422, "unknown-source"),
                ("/api/v1/claims/drone-claim/statuses", #"{"status":"refuted","rationale":"\#(String(repeating: "x", count: 20_000))"}"#, 400, "json"),
            ]
            for (path, body, code, stable) in cases {
                let (status, answer) = try await apiPost(client, path, token: desk, json: body)
                #expect(Int(status.code) == code, "\(path) \(body.prefix(80)): \(answer)")
                let problem = try json(answer)
                #expect(problem["code"]?.stringValue == stable, "\(answer)")
                #expect(problem["status"]?.integerValue == code)
                #expect(problem["type"] != nil && problem["title"] != nil && problem["detail"] != nil)
            }
            var headers: HTTPFields = [.contentType: "text/plain", .authorization: "Bearer " + (desk ?? "")]
            let wrongType = try await client.execute(uri: "/api/v1/claims/drone-claim/retraction", method: .post, headers: headers,
                                                     body: ByteBuffer(string: #"{"reason":"R"}"#))
            #expect(wrongType.status == .unsupportedMediaType)
            headers[.contentType] = "application/json"
            let huge = try await client.execute(uri: "/api/v1/claims/drone-claim/retraction", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"reason":""# + String(repeating: "x", count: 300_000) + #""}"#))
            #expect(huge.status == .contentTooLarge)
        }
        #expect(try newsroom.entries() == before)
    }

    @Test func concurrentWritersAreAllAcknowledgedAndTheLedgerVerifies() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let token = newsroom.tokens["desk"]
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<24 {
                    group.addTask {
                        try await apiPost(client, "/api/v1/claims/drone-claim/positions", token: token, json: """
                            {"party":"Party \(i)","partyKind":"organisation","stance":"qualifies","source":"\(newsroom.sourceID)","quote":"ce que Kiev dément"}
                            """).0
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created })
            #expect(try newsroom.state().claims["drone-claim"]?.positions.count == 24)
            #expect(try newsroom.verify().failure == nil)
        }
    }
}
