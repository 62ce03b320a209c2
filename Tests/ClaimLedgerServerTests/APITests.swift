import CanonicalJSON
import ClaimLedgerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("JSON API") struct APITests {
    static func json(_ f: Fetched) throws -> JSONValue { try JSONParser.parse(f.body) }

    @Test func claimsListAndClaimUseTheCLIShapes() async throws {
        try await withApp { _, client in
            let list = try await client.fetch("/api/v1/claims?status=disputed")
            #expect(list.status == .ok)
            #expect(list.headers[.contentType] == "application/json")
            let doc = try Self.json(list)
            #expect(doc["total"]?.integerValue == 1)
            let first = try #require(doc["claims"]?.arrayValue?.first)
            #expect(first["id"]?.stringValue == "drone-claim")
            #expect(first["status"]?.stringValue == "disputed")
            let claim = try Self.json(try await client.fetch("/api/v1/claims/drone-claim"))
            #expect(claim["id"]?.stringValue == "drone-claim")
            #expect(claim["history"]?.arrayValue?.count == 1)
            #expect(claim["quotes"]?.arrayValue?.first?["text"]?.stringValue == TestLedger.droneQuote)
            #expect(claim["entry"]?["seq"]?.integerValue == 3)
        }
    }

    @Test func sourcesAndSourceText() async throws {
        try await withApp { ledger, client in
            let sources = try Self.json(try await client.fetch("/api/v1/sources"))
            #expect(sources.arrayValue?.first?["id"]?.stringValue == ledger.sourceID)
            let source = try Self.json(try await client.fetch("/api/v1/sources/\(ledger.sourceID)"))
            #expect(source["title"]?.stringValue == "Le Kremlin accuse l'Ukraine")
            let text = try await client.fetch("/api/v1/sources/\(ledger.sourceID)/text")
            #expect(text.status == .ok)
            #expect(text.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(text.body == TestLedger.article)
        }
    }

    @Test func verificationKeysCheckpointsAndProofs() async throws {
        try await withApp(seed: true) { _, client in
            let report = try Self.json(try await client.fetch("/api/v1/verification"))
            #expect(report["ok"]?.boolValue == true)
            #expect(report["entries"]?.integerValue == 394)
            #expect(report["checkpoint"]?["treeSize"]?.integerValue == 394)
            let keys = try Self.json(try await client.fetch("/api/v1/keys"))
            #expect(keys.arrayValue?.contains { $0["role"]?.stringValue == "editor" } == true)
            let cps = try Self.json(try await client.fetch("/api/v1/checkpoints"))
            #expect(cps["checkpoints"]?.arrayValue?.map { $0["treeSize"]?.integerValue } == [178, 394])
            let cp = try Self.json(try await client.fetch("/api/v1/checkpoints/178"))
            #expect(cp["signers"]?.arrayValue?.first?["name"]?.stringValue == "newsroom-root")
            #expect(try await client.fetch("/api/v1/checkpoints/179").status == .notFound)
            let inclusion = try Self.json(try await client.fetch("/api/v1/proofs/inclusion?seq=156&size=178"))
            #expect(inclusion["treeSize"]?.integerValue == 178)
            #expect(inclusion["rootHash"]?.stringValue == cps["checkpoints"]?.arrayValue?.first?["rootHash"]?.stringValue)
            let consistency = try Self.json(try await client.fetch("/api/v1/proofs/consistency?from=178&to=394"))
            #expect(consistency["oldSize"]?.integerValue == 178)
            #expect(consistency["newRoot"]?.stringValue == report["rootHash"]?.stringValue)
        }
    }

    @Test func badQueriesAreProblemDetails() async throws {
        try await withApp { _, client in
            for uri in ["/api/v1/proofs/inclusion?seq=99", "/api/v1/proofs/inclusion?seq=-1", "/api/v1/proofs/inclusion",
                        "/api/v1/proofs/consistency?from=0", "/api/v1/proofs/consistency?from=3&to=2", "/api/v1/claims?page=0",
                        "/api/v1/claims?perPage=201", "/api/v1/claims?from=2026-13-01", "/api/v1/claims?wat=1",
                        "/api/v1/claims?q=%ZZ", "/api/v1/claims?q=a&q=b", "/api/v1/proofs/inclusion?seq=1e3"] {
                let r = try await client.fetch(uri)
                #expect(r.status == .badRequest, "\(uri)")
                #expect(r.headers[.contentType] == "application/problem+json", "\(uri)")
                let p = try Self.json(r)
                #expect(p["status"]?.integerValue == 400, "\(uri)")
                #expect(p["code"]?.stringValue == "invalid-input", "\(uri)")
                #expect(p["type"]?.stringValue?.hasSuffix("invalid-input") == true)
                #expect(p["title"]?.stringValue?.isEmpty == false)
                #expect(p["detail"]?.stringValue?.isEmpty == false)
            }
            let missing = try await client.fetch("/api/v1/claims/no-such-claim")
            #expect(missing.status == .notFound)
            #expect(try Self.json(missing)["code"]?.stringValue == "unknown-claim")
            let route = try await client.fetch("/api/v1/nothing-here")
            #expect(route.status == .notFound)
            #expect(route.headers[.contentType] == "application/problem+json")
        }
    }
}
