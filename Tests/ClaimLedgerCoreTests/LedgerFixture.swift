import ClaimLedgerCore
import LedgerCrypto
import Testing

/// Archived sources held in memory, as the storage layer would hold them on disk.
struct InMemoryArchive: SourceArchive {
    var files: [SHA256Digest: [UInt8]] = [:]

    @discardableResult
    mutating func store(_ bytes: [UInt8]) -> SHA256Digest {
        let digest = SHA256.hash(bytes)
        files[digest] = bytes
        return digest
    }

    func contents(of digest: SHA256Digest) throws(LedgerError) -> [UInt8]? { files[digest] }
}

/// Deterministic keys (RFC 8032 seeds), so failures reproduce.
enum TestKeys {
    static func key(_ seedByte: UInt8) throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: [UInt8](repeating: seedByte, count: 32))
    }
}

/// A small ledger built in memory with `EntryAppender`:
/// 0 genesis (root), 1 key add journalist (root), 2 source (journalist), 3 claim (journalist),
/// 4 status disputed (journalist). Offending entries are made with `next(...)` against `state`.
struct LedgerFixture {
    static let sourceText = "Le porte-parole a déclaré : « Nous n'avons rien à cacher ». Fin de la dépêche."
    static let quoteText = "Nous n'avons rien à cacher"
    static let claimID = "spokesperson-nothing-to-hide"
    static let start = Timestamp(rfc3339: "2026-01-06T09:00:00Z")!

    let root: Ed25519PrivateKey
    let journalist: Ed25519PrivateKey
    let outsider: Ed25519PrivateKey
    var archive = InMemoryArchive()
    let sourceID: SHA256Digest
    let quote: Quote
    private(set) var entries: [SignedEntry] = []
    private(set) var state = LedgerState()

    init() throws {
        root = try TestKeys.key(1)
        journalist = try TestKeys.key(2)
        outsider = try TestKeys.key(3)
        let bytes = Array(Self.sourceText.utf8)
        sourceID = archive.store(bytes)
        quote = try QuoteLocator.locate(Self.quoteText, in: bytes, source: sourceID, offset: nil)
        try append([.genesis(GenesisPayload(origin: "test.example/claims", keys: [NamedKey(name: "root", publicKey: root.publicKey)]))],
                   key: root, minutes: 0)
        try append([.key(.add(NamedKey(name: "journalist", publicKey: journalist.publicKey), role: .journalist))],
                   key: root, minutes: 1)
        try append([.source(sourcePayload(bytes))], key: journalist, minutes: 2)
        try append([.claim(claimPayload(id: Self.claimID)), .status(statusPayload(.disputed))], key: journalist, minutes: 3)
    }

    func sourcePayload(_ bytes: [UInt8], title: String = "Dépêche") -> SourcePayload {
        SourceDraft(bytes: bytes, title: title, publisher: "AFP", url: "https://example.org/depeche",
                    published: CalendarDate(year: 2026, month: 1, day: 6)!, language: "fr",
                    mediaType: "text/plain; charset=utf-8").payload
    }

    func claimPayload(id: String, quotes: [Quote]? = nil) -> ClaimPayload {
        ClaimPayload(id: id, statement: "The spokesperson said they have nothing to hide.", statementLanguage: "en",
                     claimant: "Spokesperson", date: CalendarDate(year: 2026, month: 1, day: 6)!, quotes: quotes ?? [quote])
    }

    func statusPayload(_ status: ClaimStatus, claim: String = LedgerFixture.claimID, evidence: [SHA256Digest]? = nil) -> StatusPayload {
        StatusPayload(claim: claim, status: status, rationale: "Checked against the wire.", evidence: evidence ?? [sourceID])
    }

    /// Appends valid payloads (checked by the appender) to the fixture's chain.
    mutating func append(_ payloads: [Payload], key: Ed25519PrivateKey, minutes: Int64) throws {
        let time = Timestamp(secondsSinceEpoch: Self.start.secondsSinceEpoch + minutes * 60)
        let (new, next) = try EntryAppender.append(payloads, to: state, key: key, time: time, archive: archive)
        entries += new
        state = next
    }

    /// The next entry after the chain, signed by `key`; each field can be overridden to break a rule.
    func next(_ payload: Payload, key: Ed25519PrivateKey, seq: Int? = nil, prev: SHA256Digest? = nil,
              time: Timestamp? = nil) throws -> SignedEntry {
        let entry = Entry(seq: seq ?? state.size, prev: prev ?? state.head, time: time ?? state.lastTime ?? Self.start,
                          signer: key.publicKey.keyID, payload: payload)
        return try SignedEntry.sign(entry, with: key)
    }

}

/// Applies `signed` to a copy of `state` and checks it is refused with `code`, attributed to `seq`,
/// and that the refused entry left the state unchanged.
func expectRefused(_ signed: SignedEntry, by state: LedgerState, archive: some SourceArchive,
                   code: LedgerError.Code, seq: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    var copy = state
    let error = #expect(throws: LedgerError.self, sourceLocation: sourceLocation) {
        try copy.apply(signed, archive: archive)
    }
    #expect(error?.code == code, "\(error?.description ?? "no error")", sourceLocation: sourceLocation)
    #expect(error?.seq == seq, sourceLocation: sourceLocation)
    #expect(copy.size == state.size && copy.head == state.head, sourceLocation: sourceLocation)
}

/// Applies `signed` to a copy of `state` and checks it is accepted.
func expectAccepted(_ signed: SignedEntry, by state: LedgerState, archive: some SourceArchive,
                    sourceLocation: SourceLocation = #_sourceLocation) -> LedgerState {
    var copy = state
    #expect(throws: Never.self, sourceLocation: sourceLocation) { try copy.apply(signed, archive: archive) }
    #expect(copy.size == state.size + 1, sourceLocation: sourceLocation)
    return copy
}
