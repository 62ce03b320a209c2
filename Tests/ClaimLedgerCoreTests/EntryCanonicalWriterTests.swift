import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// The direct writer of `Entry.canonicalBytes()` against the reference: `JCS.canonicalize` of the entry's
/// `JSONValue` tree (RFC 8785), on random entries of every payload type, with every optional member
/// present or absent, strings that need escapes (quotes, backslashes, every control character) or none,
/// non-ASCII text (two-, three- and four-byte UTF-8, U+E000-U+FFFF, which sorts differently in UTF-16),
/// integers from 0 to beyond 2^53 and negative, and times from before year 1 to after 9999.
@Suite struct EntryCanonicalWriterTests {
    struct Random {
        var rng: QuoteSearchDifferentialTests.SeededGenerator

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        mutating func bool() -> Bool { int(0...1) == 1 }
        mutating func maybe<T>(_ make: (inout Random) -> T) -> T? { bool() ? make(&self) : nil }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

        static let pieces: [String] = [
            "a", "Z", " ", "0", "\"", "\\", "/", "\u{7F}", "é", "ß", "€", "\u{2028}", "\u{E000}", "\u{FFFD}", "\u{FEFF}",
            "😀", "𝄞", "ﬀ", "e\u{301}", "«", "»", "\n", "\t", "\r", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{1}", "\u{9F}",
        ]

        mutating func string() -> String {
            switch int(0...3) {
            case 0: return pick(["x", "Nous n'avons rien à cacher", "2026-01-06", "root"])
            case 1: return String((0..<int(1...12)).map { _ in Character(Unicode.Scalar(UInt8(int(0x20...0x7E)))) })
            default: return (0..<int(1...24)).map { _ in pick(Self.pieces) }.joined()
            }
        }

        mutating func integer() -> Int {
            switch int(0...4) {
            case 0: return int(0...9)
            case 1: return int(0...1_000_000)
            case 2: return int(-1_000_000...(-1))
            case 3: return int((1 << 53) - 3...(1 << 53) + 3)
            default: return int(Int.min / 2...Int.max)
            }
        }

        mutating func digest() -> SHA256Digest { SHA256.hash((0..<8).map { _ in UInt8(int(0...255)) }) }
        mutating func date() -> CalendarDate { Timestamp(secondsSinceEpoch: Int64(int(-62_300_000_000...253_500_000_000))).date }
        mutating func time() -> Timestamp { Timestamp(secondsSinceEpoch: Int64(int(-62_300_000_000...253_500_000_000))) }
        mutating func digests() -> [SHA256Digest] { (0..<int(0...3)).map { _ in digest() } }
        mutating func quotes(min: Int = 0) -> [Quote] {
            (0..<int(min...3)).map { _ in Quote(source: digest(), text: string(), start: integer(), end: integer()) }
        }
        mutating func oneOf<E: CaseIterable>(_: E.Type) -> E { pick(Array(E.allCases)) }
        mutating func key() throws -> Ed25519PublicKey {
            try Ed25519PrivateKey(seed: [UInt8](repeating: UInt8(int(1...255)), count: 32)).publicKey
        }

        mutating func provenance() -> Provenance {
            Provenance(retrievedAt: maybe { r in r.bool() ? .time(r.time()) : .date(r.date()) }, copy: oneOf(Provenance.Copy.self), kind: oneOf(Provenance.Kind.self),
                       retrievedFrom: maybe { $0.string() },
                       republishes: maybe { r in r.bool() ? .source(r.digest()) : .url(r.string(), publisher: r.string()) })
        }

        mutating func changes() -> ClaimChanges {
            ClaimChanges(statement: maybe { $0.string() }, statementLanguage: maybe { $0.string() }, claimant: maybe { $0.string() },
                         date: maybe { $0.date() }, quotes: maybe { $0.quotes() }, kind: maybe { $0.oneOf(ClaimKind.self) })
        }

        mutating func payload(_ type: EntryType) throws -> Payload {
            switch type {
            case .genesis:
                return .genesis(GenesisPayload(origin: string(), keys: try (0..<int(1...3)).map { _ in NamedKey(name: string(), publicKey: try key()) }))
            case .key:
                switch int(0...2) {
                case 0: return .key(.add(NamedKey(name: string(), publicKey: try key()), role: oneOf(KeyPayload.Role.self)))
                case 1: return .key(.revoke(keyID: digest(), reason: maybe { $0.string() }))
                default: return .key(.approve(entry: digest()))
                }
            case .source:
                return .source(SourcePayload(sha256: digest(), size: integer(), title: string(), publisher: string(), url: string(),
                                             published: date(), language: string(), mediaType: string(),
                                             provenance: maybe { $0.provenance() }))
            case .claim:
                return .claim(ClaimPayload(id: string(), statement: string(), statementLanguage: string(), claimant: string(),
                                           date: date(), quotes: quotes(min: 1), kind: maybe { $0.oneOf(ClaimKind.self) }))
            case .status:
                return .status(StatusPayload(claim: string(), status: oneOf(ClaimStatus.self), rationale: string(), evidence: digests(),
                                             verdict: maybe { $0.string() }, spans: quotes()))
            case .scale:
                let labels = (0..<int(1...3)).map { _ in
                    ScaleLabel(label: string(), description: string(), rating: ReviewRating(
                        alternateName: string(), ratingValue: integer(), bestRating: integer(), worstRating: integer()))
                }
                return .scale(ScalePayload(labels: labels, reason: maybe { $0.string() }))
            case .position:
                return .position(PositionPayload(claim: string(), party: Party(name: string(), kind: oneOf(Party.Kind.self)),
                                                 stance: oneOf(Stance.self), date: date(), quotes: quotes(min: 1),
                                                 evidence: digests(), note: maybe { $0.string() }))
            case .link:
                return .link(LinkPayload(from: string(), relation: oneOf(LinkRelation.self), to: string(), note: maybe { $0.string() }))
            case .amend:
                return .amend(AmendPayload(claim: string(), action: bool() ? .retract : .correct(changes()), reason: string()))
            case .review:
                return .review(ReviewPayload(claim: string(), status: digest(), decision: oneOf(ReviewPayload.Decision.self),
                                             note: maybe { $0.string() }))
            case .provenance:
                return .provenance(ProvenancePayload(source: digest(), provenance: provenance(), reason: maybe { $0.string() }))
            }
        }
    }

    @Test(arguments: EntryType.allCases)
    func directBytesEqualTheCanonicalizedTree(type: EntryType) throws {
        var random = Random(rng: .init(state: UInt64(EntryType.allCases.firstIndex(of: type)! + 1) &* 7919))
        for round in 0..<400 {
            let entry = Entry(seq: random.integer(), prev: random.digest(), time: random.time(), signer: random.digest(),
                              payload: try random.payload(type))
            let expected = try JCS.canonicalize(entry.json)
            let found = entry.canonicalBytes()
            if found != expected {
                Issue.record("\(type.rawValue) round \(round):\n written \(String(decoding: found, as: UTF8.self))\n JCS     \(String(decoding: expected, as: UTF8.self))")
                return
            }
        }
    }

    @Test func emptyChangesAndEscapesAreWrittenAsTheTree() throws {
        let entry = Entry(seq: 0, prev: .zero, time: Timestamp(secondsSinceEpoch: 0), signer: .zero, payload: .amend(AmendPayload(
            claim: "c\u{0}\u{1F}\"\\\u{7F}😀\u{E000}", action: .correct(ClaimChanges()), reason: "\u{8}\u{C}\n\r\t")))
        #expect(entry.canonicalBytes() == (try JCS.canonicalize(entry.json)))
    }
}
