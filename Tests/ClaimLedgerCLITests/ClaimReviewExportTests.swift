import CanonicalJSON
import Foundation
import Testing

/// `claimledger export --format claimreview` on a copy of the committed seed ledger: one ClaimReview
/// per claim whose current verdict an editor approved, each tied to the entries of the JSON export; bad
/// options refused in one line. With CLAIMREVIEW_SAMPLE_OUT set, the seed's ClaimReview export is also
/// copied there, for the offline JSON Schema and JSON-LD checks of Tests/claimreview.
@Suite struct ClaimReviewExportTests {
    static let base = "https://claimledger.example/newsroom"
    /// Test values: the seed ledger does not record who publishes it (see docs/AUDIT.md).
    static let options = ["--format", "claimreview", "--publisher", "Practice newsroom (test value)",
                          "--publisher-url", "https://claimledger.example/", "--base-url", base + "/"]
    static let limits = JSONLimits(maxBytes: 64 << 20, maxDepth: JSONLimits.default.maxDepth,
                                   maxStringBytes: JSONLimits.default.maxStringBytes, maxContainerCount: JSONLimits.default.maxContainerCount)

    /// Item `i` of an array, nil when there is none.
    static func item(_ array: JSONValue?, _ i: Int) -> JSONValue? {
        guard let items = array?.arrayValue, items.indices.contains(i) else { return nil }
        return items[i]
    }

    func withSeedCopy<T>(_ body: (String) throws -> T) throws -> T {
        try withTemporaryDirectory { dir in
            let copy = dir + "/ledger"
            try FileManager.default.copyItem(atPath: SeedLedgerTests.ledger, toPath: copy)
            return try body(copy)
        }
    }

    @Test func seedReviewsMatchTheReviewedVerdictsOfTheExport() throws {
        try withSeedCopy { copy in
            let out = copy + "/../claimreview.json"
            let result = try CLI.run(["export", "--ledger", copy, "--out", out] + Self.options)
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
            let bytes = try Files.bytes(out)
            let parsed = try JSONParser.parse(bytes, limits: Self.limits)
            #expect(try JCS.canonicalize(parsed) + [0x0A] == bytes, "not RFC 8785 followed by LF")
            let reviews = try #require(parsed.arrayValue)

            let export = try CLI.run(["export", "--reviewed", "--ledger", copy])
            #expect(export.status == 0, "\(export)")
            let claims = try #require(try JSONParser.parse(export.stdout, limits: Self.limits)["claims"]?.arrayValue)
            let published = claims.filter { $0["verdict"] != nil && $0["retracted"] == false }
            #expect(reviews.count == published.count && reviews.count > 10, "\(reviews.count) of \(published.count)")
            for (review, claim) in zip(reviews, published) {
                let id = try #require(claim["id"]?.stringValue)
                let last = try #require(claim["history"]?.arrayValue?.last)
                let approval = try #require(last["reviews"]?.arrayValue?.last)
                #expect(review["url"] == .string(Self.base + "/claims/" + id))
                #expect(review["claimReviewed"] == claim["statement"] && review["inLanguage"] == claim["lang"])
                #expect(review["datePublished"] == approval["entry"]?["time"])
                #expect(review["itemReviewed"]?["datePublished"] == claim["date"])
                #expect(review["itemReviewed"]?["author"]?["name"] == claim["claimant"])
                #expect(Self.item(review["identifier"], 1)?["value"] == last["entry"]?["hash"], "\(id)")
                #expect(Self.item(review["identifier"], 2)?["value"] == approval["entry"]?["hash"], "\(id)")
                #expect(Self.item(review["itemReviewed"]?["identifier"], 1)?["value"] == claim["entry"]?["hash"], "\(id)")
                let signed = last["verdict"]?["asSigned"]?["claimReview"]
                for member in ["alternateName", "ratingValue", "bestRating", "worstRating"] {
                    #expect(review["reviewRating"]?[member] == signed?[member], "\(id) \(member)")
                }
                #expect(review["reviewRating"]?["ratingExplanation"] == claim["rationale"])
            }
            if let sample = ProcessInfo.processInfo.environment["CLAIMREVIEW_SAMPLE_OUT"], !sample.isEmpty {
                try Files.write(bytes, to: sample)
            }
        }
    }

    @Test func jsonStaysTheDefaultFormat() throws {
        try withSeedCopy { copy in
            let plain = try CLI.run(["export", "--ledger", copy])
            let json = try CLI.run(["export", "--format", "json", "--ledger", copy])
            #expect(plain.status == 0 && json.status == 0 && plain.stdout == json.stdout)
        }
    }

    @Test(arguments: [
        (["--format", "xml"], "unknown --format"),
        (["--format", "claimreview"], "needs --publisher"),
        (["--publisher", "N"], "apply only to --format claimreview"),
        (["--base-url", "https://n.example"], "apply only to --format claimreview"),
        (["--format", "claimreview", "--publisher", "N", "--base-url", "ftp://n.example"], "--base-url must be"),
        (["--format", "claimreview", "--publisher", "N", "--base-url", "https://n.example/?a=1"], "--base-url must not"),
        (["--format", "claimreview", "--publisher", "N", "--publisher-url", "n.example"], "--publisher-url must be"),
        (["--format", "claimreview", "--publisher", "Two\nlines"], "--publisher must be"),
    ])
    func badOptionsAreOneLineErrors(_ args: [String], _ words: String) throws {
        try withSeedCopy { copy in
            let result = try CLI.run(["export", "--ledger", copy] + args)
            expectOneLineError(result, exit: 2, mentioning: [words])
            #expect(result.stdout.isEmpty)
        }
    }
}

@Suite(.enabled(if: SchemaValidator.isAvailable, "needs python3 with jsonschema and Tests/schema/validate.py"))
struct ClaimReviewSchemaTests {
    /// With and without the URL options, the seed's ClaimReview export matches schemas/claimreview.schema.json.
    @Test(arguments: [ClaimReviewExportTests.options, ["--format", "claimreview", "--publisher", "Practice newsroom (test value)"]])
    func seedClaimReviewMatchesTheSchema(_ options: [String]) throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.copyItem(atPath: SeedLedgerTests.ledger, toPath: dir + "/ledger")
            let export = try CLI.run(["export", "--out", dir + "/claimreview.json", "--ledger", dir + "/ledger"] + options)
            try #require(export.status == 0, "\(export)")
            let result = try SchemaValidator.validate("claimreview", dir + "/claimreview.json")
            #expect(result.status == 0, "\(result)")
        }
    }
}
