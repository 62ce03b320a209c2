import CanonicalJSON
import ClaimLedgerServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAPI") struct OpenAPITests {
    static var committedPath: String { TestLedger.repoRoot + "/schemas/openapi.json" }

    @Test func servedDocumentIsTheCommittedOne() async throws {
        let served = OpenAPIDocument.bytes
        if ProcessInfo.processInfo.environment["CLAIMLEDGER_UPDATE_OPENAPI"] == "1" {
            try Data(served + [0x0A]).write(to: URL(fileURLWithPath: Self.committedPath))
        }
        let committed = Array(try Data(contentsOf: URL(fileURLWithPath: Self.committedPath)))
        let same = committed == served + [0x0A]
        #expect(same,
                "schemas/openapi.json differs from the served document: run CLAIMLEDGER_UPDATE_OPENAPI=1 swift test --filter OpenAPI")
        try await withApp { _, client in
            let r = try await client.fetch("/api/v1/openapi.json")
            #expect(r.status == .ok)
            #expect(Array(r.body.utf8) == served)
            let doc = try JSONParser.parse(r.body)
            #expect(doc["openapi"]?.stringValue == "3.1.0")
        }
    }

    /// Every /api/v1 route a writable server's router registers is in the document, and every documented
    /// operation is routed.
    @Test func documentAndRoutesMatch() throws {
        let newsroom = try Newsroom()
        let router = AppBuilder.router(services: try newsroom.services())
        var routed = Set<String>()
        for route in router.routes {
            let path = route.path.description
            guard path.hasPrefix("/api/v1/") else { continue }
            let openAPIPath = "/" + path.dropFirst("/api/v1/".count).split(separator: "/").map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            routed.insert(route.method.rawValue + " " + openAPIPath)
        }
        let documented = try OpenAPIDocument.operations()
        #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        #expect(routed.count >= 12)
    }
}

