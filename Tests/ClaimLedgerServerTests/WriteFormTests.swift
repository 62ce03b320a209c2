import ClaimLedgerCore
import ClaimLedgerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct WriteFormTests {
    func byteOffsets(of needle: String) -> [Int] {
        let text = Newsroom.article
        var found = [Int](), search = text.startIndex..<text.endIndex
        while let r = text.range(of: needle, range: search) {
            found.append(text.utf8.distance(from: text.startIndex, to: r.lowerBound))
            search = r.upperBound..<text.endIndex
        }
        return found
    }

    @Test func aSelectionInTheSourceBecomesAClaimAtThatByteOffset() async throws {
        let newsroom = try Newsroom()
        let second = try #require(byteOffsets(of: Newsroom.twiceQuote).last)
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("desk")
            let end = second + Newsroom.twiceQuote.utf8.count
            let form = try await browser.get("/new-claim?source=\(newsroom.sourceID)&start=\(second)&end=\(end)")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"offset\" value=\"\(second)\""))
            #expect(form.body.contains("<mark><bdi>n&#39;a eu lieu</bdi></mark>"))
            let csrf = try #require(form.csrf)
            let answer = try await browser.post("/claims", [
                ("csrf", csrf), ("source", newsroom.sourceID), ("quote", Newsroom.twiceQuote), ("offset", String(second)),
                ("statement", "Moscow says the claim that nothing happened is a lie."), ("lang", "en"), ("claimant", "Moscou"),
                ("date", ""), ("kind", "attribution"), ("status", ""), ("rationale", ""), ("evidence", ""),
            ])
            #expect(answer.status == .seeOther)
            let location = try #require(answer.location)
            #expect(location.hasPrefix("/claims/"))
            let id = String(location.dropFirst("/claims/".count))
            let claim = try #require(try newsroom.state().claims[id])
            #expect(claim.payload.quotes[0].start == second)
            #expect(claim.payload.kind == .attribution)
            #expect(try newsroom.verify().failure == nil)
        }
    }

    @Test func aTypedQuoteThatOccursTwiceOffersTheOccurrences() async throws {
        let newsroom = try Newsroom()
        let both = byteOffsets(of: Newsroom.twiceQuote)
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("desk")
            let csrf = try await browser.csrf()
            let fields = [("csrf", csrf), ("source", String(newsroom.sourceID.prefix(12))), ("quote", Newsroom.twiceQuote),
                          ("statement", "Nothing happened, says Kyiv."), ("claimant", "Kyiv")]
            let before = try newsroom.entries()
            let page = try await browser.post("/claims", fields)
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("<p class=\"field-error\" id=\"quote-error\">"))
            for offset in both { #expect(page.body.contains("value=\"\(offset)\"")) }
            #expect(try newsroom.entries() == before)
            let chosen = try await browser.post("/claims", fields + [("offset", String(both[0]))])
            #expect(chosen.status == .seeOther)
        }
    }

    @Test func errorsAreShownBesideEachFieldWithTheInputEscapedAndNothingRecorded() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.entries()
        let script = "<script>alert(1)</script>"
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("desk")
            let csrf = try await browser.csrf()
            let cases: [(String, [(String, String)], [String])] = [
                ("/claims", [("source", newsroom.sourceID), ("quote", "not in the source"), ("statement", ""), ("claimant", script),
                             ("date", "06/01/2026"), ("lang", "french!")], ["statement", "date", "lang"]),
                ("/claims", [("source", newsroom.sourceID), ("quote", "not in the source " + script), ("statement", "S"), ("claimant", "C")], ["quote"]),
                ("/claims/drone-claim/status", [("status", "maybe"), ("rationale", "")], ["status", "rationale"]),
                ("/claims/drone-claim/status", [("status", "refuted"), ("rationale", "R"), ("verdict", "false")], ["spans"]),
                ("/claims/drone-claim/status", [("status", "refuted"), ("rationale", "R"), ("verdict", "pants-on-fire"),
                                                ("spanSource", newsroom.sourceID), ("spanQuote", "ce que Kiev dément")], ["verdict"]),
                ("/claims/drone-claim/position", [("party", ""), ("partyKind", "alien"), ("stance", "denies"), ("source", newsroom.sourceID),
                                                  ("quote", "ce que Kiev dément")], ["party", "partyKind"]),
                ("/claims/drone-claim/link", [("relation", ""), ("to", "")], ["relation", "to"]),
                ("/claims/drone-claim/link", [("relation", "counters"), ("to", "no-such-claim")], ["to"]),
                ("/claims/drone-claim/correct", [("reason", script)], ["statement"]),
                ("/claims/drone-claim/retract", [("reason", " ")], ["reason"]),
                ("/claims/drone-claim/status", [("status", "refuted"), ("rationale", "Bidi \u{202E}reversed")], ["rationale"]),
            ]
            for (path, fields, errorFields) in cases {
                let page = try await browser.post(path, fields + [("csrf", csrf)])
                #expect(page.status == .unprocessableContent, "\(path) \(fields)")
                #expect(page.body.contains("<div class=\"error-summary\" role=\"alert\""), "\(path)")
                for f in errorFields {
                    #expect(page.body.contains("<p class=\"field-error\" id=\"\(f)-error\">"), "\(path): no error beside \(f)\n\(page.body)")
                }
                #expect(!page.body.contains(script), "\(path): unescaped input")
                if fields.contains(where: { $0.1.contains(script) }) { #expect(page.body.contains("&lt;script&gt;"), "\(path)") }
            }
        }
        #expect(try newsroom.entries() == before)
    }

    @Test func eachFormRecordsTheSameEntryTheCLIWould() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.login("desk")
            let csrf = try await browser.csrf()
            let posts: [(String, [(String, String)], EntryType)] = [
                ("/claims/drone-claim/status", [("status", "refuted"), ("rationale", "Kyiv denies it."), ("verdict", "false"),
                                                ("spanSource", newsroom.sourceID), ("spanQuote", "ce que Kiev dément"), ("spanSource", ""), ("spanQuote", "")], .status),
                ("/claims/drone-claim/position", [("party", "Kyiv"), ("partyKind", "government"), ("stance", "denies"), ("date", "2026-01-06"),
                                                  ("source", newsroom.sourceID), ("quote", "ce que Kiev dément"), ("note", "")], .position),
                ("/claims/drone-claim/correct", [("reason", "The claimant is the Kremlin's spokesman."), ("claimant", "Dmitri Peskov")], .amend),
                ("/claims", [("source", newsroom.sourceID), ("quote", Newsroom.summitQuote), ("statement", "The Paris summit took place on Tuesday."),
                             ("claimant", "AFP"), ("status", "corroborated"), ("rationale", "Several outlets."), ("id", "summit-claim")], .claim),
                ("/claims/summit-claim/link", [("relation", "context-for"), ("to", "drone-claim"), ("note", "Same day.")], .link),
                ("/claims/summit-claim/retract", [("reason", "Out of scope.")], .amend),
            ]
            for (path, fields, type) in posts {
                let before = try newsroom.lineCount()
                let answer = try await browser.post(path, fields + [("csrf", csrf)])
                #expect(answer.status == .seeOther, "\(path): \(answer.body)")
                let location = try #require(answer.location)
                let page = try await browser.get(location)
                #expect(page.body.contains("<div class=\"notice\" role=\"status\">"), "\(path)")
                #expect(try newsroom.lineCount() > before)
                // The new entries (a claim with a first status is two: the claim, then its status).
                let lines = try #require(String(data: try newsroom.entries(), encoding: .utf8)?.split(separator: "\n"))
                #expect(lines[before...].first?.contains("\"type\":\"\(type.rawValue)\"") == true, "\(path)")
            }
            let state = try newsroom.state()
            let drone = try #require(state.claims["drone-claim"])
            #expect(drone.history.last?.payload.verdict == "false")
            #expect(drone.current.claimant == "Dmitri Peskov")
            #expect(drone.positions.first?.payload.party.name == "Kyiv")
            #expect(state.claims["summit-claim"]?.isRetracted == true)
            #expect(state.claims["summit-claim"]?.links.first?.payload.to == "drone-claim")
            #expect(try newsroom.verify().failure == nil)
        }
    }
}
