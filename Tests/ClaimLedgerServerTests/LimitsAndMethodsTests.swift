import ClaimLedgerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Found by schemathesis: a body just over the write API's limit was a 500, and a method a path does not
/// have (TRACE) a 404. Both are the client's error: 413 and 405 with `Allow`, and nothing is written.
@Suite struct LimitsAndMethodsTests {
    @Test func aBodyOverTheLimitIs413NotA500() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        try await newsroom.app().test(.router) { client in
            let reason = String(repeating: "a", count: 200 * 1024)
            let body = ByteBuffer(string: #"{"reason":""# + reason + #""}"#)
            let token = try #require(newsroom.tokens["desk"])
            let response = try await client.execute(uri: "/api/v1/claims/drone-claim/corrections", method: .post,
                                                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
        #expect(try newsroom.entries() == before)
    }

    @Test func aMethodThePathDoesNotHaveIs405WithAllow() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let trace = try await client.execute(uri: "/api/v1/keys", method: .trace)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, HEAD")
            let get = try await client.execute(uri: "/api/v1/claims/drone-claim/statuses", method: .get)
            #expect(get.status == .methodNotAllowed)
            #expect(get.headers[.allow] == "POST")
            let unknown = try await client.execute(uri: "/api/v1/nothing-here", method: .trace)
            #expect(unknown.status == .notFound)
        }
    }
}
