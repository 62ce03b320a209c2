import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// Valid payload objects of each type, as they stand in a ledger line.
enum SamplePayloads {
    static let publicKey = Base64.encode(try! TestKeys.key(1).publicKey.rawRepresentation)
    static let digest = SHA256.hash(Array("a source".utf8)).hex

    static let genesis: [String: JSONValue] = ["origin": "test.example/claims", "keys": [["name": "root", "publicKey": .string(publicKey)]]]
    static let keyAdd: [String: JSONValue] = ["action": "add", "name": "desk", "publicKey": .string(publicKey), "role": "journalist"]
    static let keyRevoke: [String: JSONValue] = ["action": "revoke", "keyId": .string(digest), "reason": "left the newsroom"]
    static let source: [String: JSONValue] = [
        "sha256": .string(digest), "size": 120, "title": "Dépêche", "publisher": "AFP", "url": "https://example.org/a?b=c",
        "published": "2026-01-06", "language": "fr-FR", "mediaType": "text/plain; charset=utf-8",
    ]
    static let claim: [String: JSONValue] = [
        "id": "a-claim-2026", "statement": ["text": "Someone said something.", "lang": "en"], "claimant": "AFP",
        "date": "2026-01-06", "quotes": [["source": .string(digest), "text": "déjà", "start": 10, "end": 16]],
    ]
    static let status: [String: JSONValue] = [
        "claim": "a-claim-2026", "status": "disputed", "rationale": "Two sources deny it.", "evidence": [.string(digest)],
    ]
}

/// One way to break a valid payload, and the code its decoding must fail with.
struct PayloadMutation: Sendable, CustomTestStringConvertible {
    let name: String
    let type: EntryType
    let base: [String: JSONValue]
    let code: LedgerError.Code
    let mutate: @Sendable (inout [String: JSONValue]) -> Void

    init(_ name: String, _ type: EntryType, _ base: [String: JSONValue], _ code: LedgerError.Code = .invalidPayload,
         _ mutate: @escaping @Sendable (inout [String: JSONValue]) -> Void) {
        (self.name, self.type, self.base, self.code, self.mutate) = (name, type, base, code, mutate)
    }

    var testDescription: String { name }
    var json: JSONValue {
        var o = base
        mutate(&o)
        return .object(o)
    }
}

/// Sets `key` of the first element of the array member `array` (nil removes it).
func setFirst(_ o: inout [String: JSONValue], _ array: String, _ key: String, _ value: JSONValue?) {
    guard var items = o[array]?.arrayValue, var first = items.first?.objectValue else { return }
    first[key] = value
    items[0] = .object(first)
    o[array] = .array(items)
}

@Suite struct PayloadCodingTests {
    @Test(arguments: [
        (EntryType.genesis, SamplePayloads.genesis), (.key, SamplePayloads.keyAdd), (.key, SamplePayloads.keyRevoke),
        (.source, SamplePayloads.source), (.claim, SamplePayloads.claim), (.status, SamplePayloads.status),
    ])
    func roundTripsJSONToPayloadToJSON(type: EntryType, object: [String: JSONValue]) throws {
        let payload = try Payload(type: type, json: .object(object))
        #expect(payload.type == type)
        #expect(payload.json == .object(object))
        #expect(try Payload(type: type, json: payload.json) == payload)
    }

    @Test func revokeWithoutReasonRoundTrips() throws {
        var o = SamplePayloads.keyRevoke
        o["reason"] = nil
        let payload = try Payload(type: .key, json: .object(o))
        #expect(payload == .key(.revoke(keyID: try #require(SHA256Digest(hex: SamplePayloads.digest)), reason: nil)))
        #expect(payload.json == .object(o))
    }

    @Test func decodesQuoteOffsetsAsUTF8Bytes() throws {
        guard case .claim(let c) = try Payload(type: .claim, json: .object(SamplePayloads.claim)) else {
            Issue.record("not a claim")
            return
        }
        #expect(c.quotes == [Quote(source: try #require(SHA256Digest(hex: SamplePayloads.digest)), text: "déjà", start: 10, end: 16)])
    }

    @Test(arguments: [EntryType.genesis, .key, .source, .claim, .status])
    func payloadThatIsNotAnObjectIsRefused(type: EntryType) {
        let error = #expect(throws: LedgerError.self) { try Payload(type: type, json: ["not", "an", "object"]) }
        #expect(error?.code == .invalidPayload)
    }

    @Test func payloadOfAnotherTypeIsRefused() {
        let error = #expect(throws: LedgerError.self) { try Payload(type: .claim, json: .object(SamplePayloads.status)) }
        #expect(error?.code == .invalidPayload)
    }

    static let long = String(repeating: "x", count: 2049)
    static let digest = JSONValue.string(SamplePayloads.digest)
    static let mutations: [PayloadMutation] = [
        .init("genesis: unknown member", .genesis, SamplePayloads.genesis) { $0["version"] = 1 },
        .init("genesis: origin with a space", .genesis, SamplePayloads.genesis) { $0["origin"] = "test example" },
        .init("genesis: origin with a plus", .genesis, SamplePayloads.genesis) { $0["origin"] = "test+example" },
        .init("genesis: no keys", .genesis, SamplePayloads.genesis) { $0["keys"] = [] },
        .init("genesis: 17 root keys", .genesis, SamplePayloads.genesis, .limitExceeded) {
            $0["keys"] = .array(Array(repeating: ["name": "root", "publicKey": .string(SamplePayloads.publicKey)], count: 17))
        },
        .init("genesis: key with unknown member", .genesis, SamplePayloads.genesis) { setFirst(&$0, "keys", "role", "root") },
        .init("genesis: 31-byte public key", .genesis, SamplePayloads.genesis) {
            setFirst(&$0, "keys", "publicKey", .string(Base64.encode([UInt8](repeating: 7, count: 31))))
        },
        .init("key: unknown action", .key, SamplePayloads.keyAdd) { $0["action"] = "rename" },
        .init("key: unknown role", .key, SamplePayloads.keyAdd) { $0["role"] = "admin" },
        .init("key: missing role", .key, SamplePayloads.keyAdd) { $0["role"] = nil },
        .init("key: name with a newline", .key, SamplePayloads.keyAdd) { $0["name"] = "desk\nroot" },
        .init("key: revoke with upper-case key id", .key, SamplePayloads.keyRevoke) { $0["keyId"] = .string(SamplePayloads.digest.uppercased()) },
        .init("key: revoke with a role", .key, SamplePayloads.keyRevoke) { $0["role"] = "root" },
        .init("key: revoke reason with a control character", .key, SamplePayloads.keyRevoke) { $0["reason"] = "left\u{1B}[2J" },
        .init("source: unknown member", .source, SamplePayloads.source) { $0["author"] = "someone" },
        .init("source: missing publisher", .source, SamplePayloads.source) { $0["publisher"] = nil },
        .init("source: size as a string", .source, SamplePayloads.source) { $0["size"] = "120" },
        .init("source: fractional size", .source, SamplePayloads.source) { $0["size"] = 1.5 },
        .init("source: negative size", .source, SamplePayloads.source) { $0["size"] = -1 },
        .init("source: size over the limit", .source, SamplePayloads.source, .limitExceeded) { $0["size"] = .number(Double(64 * 1024 * 1024 + 1)) },
        .init("source: upper-case digest", .source, SamplePayloads.source) { $0["sha256"] = .string(SamplePayloads.digest.uppercased()) },
        .init("source: 63-digit digest", .source, SamplePayloads.source) { $0["sha256"] = .string(String(SamplePayloads.digest.dropLast())) },
        .init("source: URL without scheme", .source, SamplePayloads.source) { $0["url"] = "example.org/a" },
        .init("source: relative URL", .source, SamplePayloads.source) { $0["url"] = "/articles/1" },
        .init("source: URL with a space", .source, SamplePayloads.source) { $0["url"] = "https://example.org/a b" },
        .init("source: scheme starting with a digit", .source, SamplePayloads.source) { $0["url"] = "1http://example.org" },
        .init("source: language with underscore", .source, SamplePayloads.source) { $0["language"] = "fr_FR" },
        .init("source: one-letter language", .source, SamplePayloads.source) { $0["language"] = "f" },
        .init("source: language with empty subtag", .source, SamplePayloads.source) { $0["language"] = "fr-" },
        .init("source: media type without subtype", .source, SamplePayloads.source) { $0["mediaType"] = "text" },
        .init("source: media type with an empty part before ;", .source, SamplePayloads.source) { $0["mediaType"] = ";text/plain" },
        .init("source: title with a control character", .source, SamplePayloads.source) { $0["title"] = "A\u{01}B" },
        .init("source: empty title", .source, SamplePayloads.source) { $0["title"] = "" },
        .init("source: title over 2048 bytes", .source, SamplePayloads.source, .limitExceeded) { $0["title"] = .string(PayloadCodingTests.long) },
        .init("source: impossible date", .source, SamplePayloads.source) { $0["published"] = "2026-02-30" },
        .init("claim: unknown member", .claim, SamplePayloads.claim) { $0["status"] = "disputed" },
        .init("claim: missing claimant", .claim, SamplePayloads.claim) { $0["claimant"] = nil },
        .init("claim: missing date", .claim, SamplePayloads.claim) { $0["date"] = nil },
        .init("claim: statement as a string", .claim, SamplePayloads.claim) { $0["statement"] = "Someone said something." },
        .init("claim: statement with unknown member", .claim, SamplePayloads.claim) {
            $0["statement"] = ["text": "Someone said something.", "lang": "en", "tone": "neutral"]
        },
        .init("claim: upper-case id", .claim, SamplePayloads.claim) { $0["id"] = "A-claim" },
        .init("claim: id starting with a digit", .claim, SamplePayloads.claim) { $0["id"] = "2026-claim" },
        .init("claim: two-character id", .claim, SamplePayloads.claim) { $0["id"] = "ab" },
        .init("claim: 65-character id", .claim, SamplePayloads.claim, .limitExceeded) { $0["id"] = .string(String(repeating: "a", count: 65)) },
        .init("claim: id with underscore", .claim, SamplePayloads.claim) { $0["id"] = "a_claim" },
        .init("claim: statement language not BCP 47", .claim, SamplePayloads.claim) { $0["statement"] = ["text": "Said.", "lang": "english!"] },
        .init("claim: no quotes", .claim, SamplePayloads.claim) { $0["quotes"] = [] },
        .init("claim: quotes not an array", .claim, SamplePayloads.claim) { $0["quotes"] = ["text": "déjà"] },
        .init("claim: quote length differs from end - start", .claim, SamplePayloads.claim) { setFirst(&$0, "quotes", "end", 15) },
        .init("claim: quote counted in characters", .claim, SamplePayloads.claim) { setFirst(&$0, "quotes", "end", 14) },
        .init("claim: negative quote start", .claim, SamplePayloads.claim) {
            setFirst(&$0, "quotes", "start", -6)
            setFirst(&$0, "quotes", "end", 0)
        },
        .init("claim: quote with upper-case source", .claim, SamplePayloads.claim) {
            setFirst(&$0, "quotes", "source", .string(SamplePayloads.digest.uppercased()))
        },
        .init("claim: quote with unknown member", .claim, SamplePayloads.claim) { setFirst(&$0, "quotes", "offset", 10) },
        .init("claim: empty quote text", .claim, SamplePayloads.claim) {
            setFirst(&$0, "quotes", "text", "")
            setFirst(&$0, "quotes", "end", 10)
        },
        .init("claim: 65 quotes", .claim, SamplePayloads.claim, .limitExceeded) {
            $0["quotes"] = .array(Array(repeating: $0["quotes"]!.arrayValue![0], count: 65))
        },
        .init("claim: statement over 16 KiB", .claim, SamplePayloads.claim, .limitExceeded) {
            $0["statement"] = ["text": .string(String(repeating: "é", count: 8193)), "lang": "fr"]
        },
        .init("status: status not in the list", .status, SamplePayloads.status) { $0["status"] = "false" },
        .init("status: capitalised status", .status, SamplePayloads.status) { $0["status"] = "Disputed" },
        .init("status: duplicate evidence", .status, SamplePayloads.status) { $0["evidence"] = [PayloadCodingTests.digest, PayloadCodingTests.digest] },
        .init("status: upper-case evidence", .status, SamplePayloads.status) { $0["evidence"] = [.string(SamplePayloads.digest.uppercased())] },
        .init("status: evidence not an array", .status, SamplePayloads.status) { $0["evidence"] = PayloadCodingTests.digest },
        .init("status: 65 evidence sources", .status, SamplePayloads.status, .limitExceeded) {
            $0["evidence"] = .array((0..<65).map { .string(SHA256.hash([UInt8($0)]).hex) })
        },
        .init("status: missing rationale", .status, SamplePayloads.status) { $0["rationale"] = nil },
        .init("status: rationale with a control character", .status, SamplePayloads.status) { $0["rationale"] = "tab\tok but not \u{1B}" },
        .init("status: unknown member", .status, SamplePayloads.status) { $0["confidence"] = 0.9 },
        .init("status: claim that is not a claim id", .status, SamplePayloads.status) { $0["claim"] = "Not A Claim" },
    ]

    @Test(arguments: mutations)
    func strictDecodingRefuses(_ mutation: PayloadMutation) {
        let error = #expect(throws: LedgerError.self) { try Payload(type: mutation.type, json: mutation.json) }
        #expect(error?.code == mutation.code, "\(error?.description ?? "accepted")")
    }
}
