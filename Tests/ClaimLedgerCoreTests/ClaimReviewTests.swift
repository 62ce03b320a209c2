import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `ClaimReviewDocuments`: which claims are published as schema.org ClaimReview, and each field's
/// source in the ledger (docs/AUDIT.md "Publishing as ClaimReview"), on the in-memory editorial fixture.
@Suite struct ClaimReviewTests {
    static let claim = EditorialFixture.otherClaim
    static let options = try! ClaimReviewOptions(publisher: "Test Newsroom", publisherURL: "https://news.example/",
                                                 baseURL: "https://news.example/factchecks/")

    /// The fixture with the other claim's refuted/`false` verdict approved by the editor at minute 10.
    static func approved() throws -> EditorialFixture {
        var e = try EditorialFixture()
        try e.append([.review(ReviewPayload(claim: claim, status: e.latestStatus(claim), decision: .approve))], key: e.editor, minutes: 10)
        return e
    }

    static func reviews(_ e: EditorialFixture, options: ClaimReviewOptions = options) throws -> [JSONValue] {
        try #require(ClaimReviewDocuments.document(e.f.state, options: options).arrayValue)
    }

    static func only(_ e: EditorialFixture) throws -> [String: JSONValue] {
        let all = try reviews(e)
        try #require(all.count == 1)
        return try #require(all[0].objectValue)
    }

    @Test func nothingIsPublishedBeforeAnEditorApproves() throws {
        let e = try EditorialFixture()
        #expect(try Self.reviews(e).isEmpty)
        // The first claim's status has no verdict: an approval of it publishes nothing either.
        var other = try Self.approved()
        try other.append([.review(ReviewPayload(claim: LedgerFixture.claimID, status: other.latestStatus(LedgerFixture.claimID),
                                                decision: .approve))], key: other.editor, minutes: 11)
        #expect(try Self.reviews(other).count == 1)
    }

    @Test func everyFieldComesFromTheLedger() throws {
        let e = try Self.approved()
        let state = e.f.state
        let record = try #require(state.claims[Self.claim])
        let status = try #require(record.history.last)
        let review = try #require(record.reviews.last)
        let doc = try Self.only(e)
        #expect(doc["@context"] == "https://schema.org")
        #expect(doc["@type"] == "ClaimReview")
        #expect(doc["claimReviewed"] == .string(record.payload.statement))
        #expect(doc["inLanguage"] == "en")
        #expect(doc["datePublished"] == .string(review.entry.time.description))
        #expect(doc["datePublished"] == "2026-01-06T09:10:00Z")
        #expect(doc["url"] == .string("https://news.example/factchecks/claims/\(Self.claim)"))
        #expect(doc["author"] == ["@type": "Organization", "name": "Test Newsroom", "url": "https://news.example/"])
        #expect(doc["reviewRating"] == ["@type": "Rating", "alternateName": "FALSE", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                                        "ratingExplanation": .string(status.payload.rationale)])
        #expect(doc["identifier"] == .array([
            ["@type": "PropertyValue", "propertyID": "claimledger:origin", "value": "test.example/claims"],
            ["@type": "PropertyValue", "propertyID": "claimledger:status-entry", "value": .string(status.entry.hash.hex)],
            ["@type": "PropertyValue", "propertyID": "claimledger:review-entry", "value": .string(review.entry.hash.hex)],
        ]))
        let item = try #require(doc["itemReviewed"]?.objectValue)
        #expect(item["@type"] == "Claim")
        #expect(item["author"] == ["@type": "Thing", "name": "Spokesperson"])
        #expect(item["datePublished"] == "2026-01-06")
        #expect(item["identifier"] == .array([
            ["@type": "PropertyValue", "propertyID": "claimledger:claim-id", "value": .string(Self.claim)],
            ["@type": "PropertyValue", "propertyID": "claimledger:claim-entry", "value": .string(record.entry.hash.hex)],
        ]))
        #expect(item["appearance"] == .array([[
            "@type": "CreativeWork", "headline": "Dépêche", "url": "https://example.org/depeche", "datePublished": "2026-01-06",
            "inLanguage": "fr", "publisher": ["@type": "Organization", "name": "AFP"],
            "identifier": .array([["@type": "PropertyValue", "propertyID": "claimledger:source", "value": .string(e.f.sourceID.hex)]]),
        ]]))
        // Canonical JSON, as the export writes it.
        #expect(try !JCS.canonicalize(.array([.object(doc)])).isEmpty)
    }

    @Test func withoutABaseURLThereIsNoURLAndWithoutAPublisherURLNoAuthorURL() throws {
        let e = try Self.approved()
        let doc = try #require(Self.reviews(e, options: ClaimReviewOptions(publisher: "Desk")).first?.objectValue)
        #expect(doc["url"] == nil)
        #expect(doc["author"] == ["@type": "Organization", "name": "Desk"])
    }

    @Test func aReturnedOrNewerStatusOrARetractionUnpublishes() throws {
        var returned = try Self.approved()
        try returned.append([.review(ReviewPayload(claim: Self.claim, status: returned.latestStatus(Self.claim), decision: .return,
                                                   note: "Cite the ministry."))], key: returned.editor, minutes: 11)
        #expect(try Self.reviews(returned).isEmpty)

        var newer = try Self.approved()
        try newer.append([.status(newer.verdictStatus(claim: Self.claim, verdict: "accurate"))], key: newer.f.journalist, minutes: 11)
        #expect(try Self.reviews(newer).isEmpty)

        var retracted = try Self.approved()
        try retracted.append([.amend(AmendPayload(claim: Self.claim, action: .retract, reason: "Misattributed."))],
                             key: retracted.editor, minutes: 11)
        #expect(try Self.reviews(retracted).isEmpty)
    }

    @Test func theRatingIsTheLabelAsSignedNotAsLaterRevised() throws {
        var e = try Self.approved()
        let revised = ScaleLabel(label: "false", description: "Wrong.", rating: ReviewRating(alternateName: "Wrong", ratingValue: 2,
                                                                                              bestRating: 5, worstRating: 1))
        try e.append([.scale(ScalePayload(labels: [revised], reason: "Renamed."))], key: e.f.root, minutes: 11)
        let rating = try #require(Self.only(e)["reviewRating"]?.objectValue)
        #expect(rating["alternateName"] == "FALSE" && rating["ratingValue"] == 1)
    }

    @Test func aCorrectionChangesWhatIsPublished() throws {
        var e = try Self.approved()
        let changes = ClaimChanges(statement: "The spokesperson said they hid nothing.", statementLanguage: "en-GB", claimant: "The minister")
        try e.append([.amend(AmendPayload(claim: Self.claim, action: .correct(changes), reason: "Wording."))], key: e.editor, minutes: 11)
        let doc = try Self.only(e)
        #expect(doc["claimReviewed"] == "The spokesperson said they hid nothing.")
        #expect(doc["inLanguage"] == "en-GB")
        #expect(doc["itemReviewed"]?.objectValue?["author"] == ["@type": "Thing", "name": "The minister"])
    }

    @Test(arguments: [(Party.Kind.person, "Person"), (.government, "GovernmentOrganization"), (.organisation, "Organization"),
                      (.publication, "Organization"), (.other, "Thing")])
    func aPartyOfTheClaimantsNameSaysWhatItIs(_ kind: Party.Kind, _ type: String) throws {
        var e = try Self.approved()
        let position = PositionPayload(claim: Self.claim, party: Party(name: "Spokesperson", kind: kind), stance: .asserts,
                                       date: CalendarDate(year: 2026, month: 1, day: 6)!, quotes: [e.f.quote])
        try e.append([.position(position)], key: e.f.journalist, minutes: 11)
        #expect(try Self.only(e)["itemReviewed"]?.objectValue?["author"] == ["@type": .string(type), "name": "Spokesperson"])
    }

    @Test func scriptSafeJSONCannotCloseItsScriptElement() throws {
        let hostile: JSONValue = ["claimReviewed": "</script><script>alert(1)</script> <!-- & -->", "n": 1]
        let safe = try ClaimReviewDocuments.scriptSafeJSON(hostile)
        #expect(!safe.contains("<") && !safe.contains(">") && !safe.contains("&"))
        #expect(safe == #"{"claimReviewed":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e \u003c!-- \u0026 --\u003e","n":1}"#)
        #expect(try JSONParser.parse(safe) == hostile, "the same JSON")
    }

    /// The byte-wise escaping equals the definition one scalar at a time, with the specials at either
    /// end, side by side, absent, and beside multi-byte characters.
    @Test(arguments: ["", "<", ">", "&", "<>&", "a&", "&a", "no specials, “quoted” é 中 😀", "😀<😀", "é&é>é", "\u{0}<\u{202E}>"])
    func scriptSafeJSONEscapesByteForByte(_ text: String) throws {
        var expected = ""
        for u in String(decoding: try JCS.canonicalize(["t": .string(text)]), as: UTF8.self).unicodeScalars {
            switch u {
            case "<": expected += "\\u003c"
            case ">": expected += "\\u003e"
            case "&": expected += "\\u0026"
            default: expected.unicodeScalars.append(u)
            }
        }
        #expect(try ClaimReviewDocuments.scriptSafeJSON(["t": .string(text)]) == expected)
        #expect(try JSONParser.parse(ClaimReviewDocuments.scriptSafeJSON(["t": .string(text)])) == ["t": .string(text)])
    }

    /// Eight bytes are scanned at a time: each special, alone and in pairs, at every offset of a longer
    /// text (across word boundaries, beside bytes that differ from a special in one bit: `=`, `'`, `|`,
    /// 0xBC), is escaped as the definition says.
    @Test func scriptSafeJSONFindsSpecialsAtEveryOffset() throws {
        let filler = Array("=ab'c|dé中xyz-0123456789=ABCDEF|".unicodeScalars)
        for special in ["<", ">", "&"] {
            for at in 0..<filler.count {
                for second in [nil, at + 1, at + 7, at + 8, at + 9] {
                    var text = String.UnicodeScalarView(filler)
                    text.insert(special.unicodeScalars.first!, at: text.index(text.startIndex, offsetBy: at))
                    if let second, second <= text.count {
                        text.insert("&", at: text.index(text.startIndex, offsetBy: second))
                    }
                    let value: JSONValue = ["t": .string(String(text))]
                    var expected = ""
                    for u in String(decoding: try JCS.canonicalize(value), as: UTF8.self).unicodeScalars {
                        expected += u == "<" ? "\\u003c" : u == ">" ? "\\u003e" : u == "&" ? "\\u0026" : String(u)
                    }
                    #expect(try ClaimReviewDocuments.scriptSafeJSON(value) == expected, "\(special) at \(at), & at \(String(describing: second))")
                }
            }
        }
        let clean: JSONValue = ["t": .string(String(String.UnicodeScalarView(filler)) + "\u{BC}")]
        #expect(try ClaimReviewDocuments.scriptSafeJSONBytes(clean) == (try JCS.canonicalize(clean)))
    }

    @Test func optionsAreChecked() throws {
        #expect(try ClaimReviewOptions(publisher: "N", baseURL: "https://n.example//").baseURL == "https://n.example")
        #expect(try ClaimReviewOptions(publisher: "N", baseURL: "HTTP://n.example/x").baseURL == "HTTP://n.example/x")
        let bad: [(String, String?, String?)] = [
            ("", nil, nil), ("Two\nlines", nil, nil), (String(repeating: "x", count: 2049), nil, nil),
            ("N", "news.example", nil), ("N", "ftp://news.example", nil), ("N", "https://", nil), ("N", "https://a b", nil),
            ("N", nil, "https://n.example/?page=1"), ("N", nil, "https://n.example/#top"), ("N", nil, "urn:x:y"),
        ]
        for (publisher, url, base) in bad {
            #expect(throws: LedgerError.self, "\(publisher) \(url ?? "-") \(base ?? "-")") {
                _ = try ClaimReviewOptions(publisher: publisher, publisherURL: url, baseURL: base)
            }
        }
    }
}
