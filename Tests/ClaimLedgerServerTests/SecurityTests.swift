import CanonicalJSON
import ClaimLedgerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Security") struct SecurityTests {
    @Test func everyResponseCarriesTheCSP() async throws {
        try await withApp { _, client in
            for uri in ["/claims", "/claims/drone-claim", "/nowhere", "/api/v1/claims", "/api/v1/claims/x", "/static/app.css"] {
                let r = try await client.fetch(uri)
                #expect(r.headers[.contentSecurityPolicy] == "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'", "\(uri)")
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test func hostileTextRendersInert() async throws {
        try await withApp { ledger, client in
            try ledger.appendRaw(claimID: "bidi-claim", statement: "Price \u{202E}0001$\u{202C} and \u{2066}isolate", minute: 20)
            for uri in ["/claims", "/claims/hostile-claim", "/claims/bidi-claim", "/sources/\(ledger.sourceID)", "/claims?q=%3Cscript%3E"] {
                let page = try await client.fetch(uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.body.contains("<script>"), "\(uri)")
                #expect(!page.body.contains("<img"), "\(uri)")
                #expect(!page.body.contains("<b>"), "\(uri)")
                #expect(!page.body.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x2066 || $0.value == 0x202C }, "\(uri): no raw direction control")
            }
            let hostile = try await client.fetch("/claims/hostile-claim")
            #expect(hostile.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(hostile.body.contains("&lt;b&gt;Bold&lt;/b&gt; claimant"))
            let bidi = try await client.fetch("/claims/bidi-claim")
            #expect(bidi.body.contains("[U+202E]"))
            #expect(bidi.body.contains("<bdi>Someone <span class=\"bidi-control\""))
            // The JSON keeps the text as recorded: JSON is data, not markup.
            let json = try JSONParser.parse(try await client.fetch("/api/v1/claims/hostile-claim").body)
            #expect(json["statement"]?.stringValue == TestLedger.hostileStatement)
        }
    }

    @Test func pathsAndIdsCannotReachFiles() async throws {
        try await withApp { ledger, client in
            let attempts = [
                "/claims/..", "/claims/%2e%2e", "/claims/..%2f..%2fetc%2fpasswd", "/claims/%2e%2e%2fentries.jsonl",
                "/sources/..%2f..%2fentries.jsonl", "/sources/%2e%2e", "/sources/%2fetc%2fpasswd", "/sources/etc/passwd",
                "/api/v1/sources/..%2fentries.jsonl/text", "/api/v1/sources/%2e%2e/text", "/api/v1/sources//etc/passwd/text",
                "/api/v1/sources/\(ledger.sourceID)%00/text", "/claims/drone-claim%00", "/api/v1/claims/drone%00claim",
                "/static/..%2f..%2fPackage.swift", "/static/%2e%2e", "/api/v1/checkpoints/..%2f178", "/api/v1/checkpoints/-1",
                "/api/v1/checkpoints/0178", "/claims/DRONE-CLAIM", "/sources/\(ledger.sourceID.uppercased())",
            ]
            for uri in attempts {
                let r = try await client.fetch(uri)
                #expect((400..<500).contains(r.status.code), "\(uri) gave \(r.status.code)")
                #expect(!r.body.contains("\"entry\":{"), "\(uri)")
                #expect(!r.body.contains("root:x:"), "\(uri)")
            }
        }
    }

    @Test func overlongURLIsRefused() async throws {
        try await withApp { _, client in
            let r = try await client.fetch("/api/v1/claims?q=" + String(repeating: "a", count: 5000))
            #expect(r.status == .uriTooLong)
        }
    }
}
