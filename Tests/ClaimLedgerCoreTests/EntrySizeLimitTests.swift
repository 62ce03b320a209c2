import ClaimLedgerCore
import LedgerCrypto
import Testing

/// FORMAT.md 12 and 16: a new entry's canonical bytes are at most 65,535 bytes (a tile entry bundle's
/// uint16 length prefix), refused by every writer with `limit-exceeded`; `verify` still accepts a larger
/// entry written before the limit existed.
@Suite struct EntrySizeLimitTests {
    /// The fixture's ledger plus a source of six distinct 12,000-byte passages, five of them quoted by
    /// `claim(statementBytes:)`, so that a claim's canonical bytes can be set to the byte.
    struct BigClaimLedger {
        var fixture: LedgerFixture
        let source: SHA256Digest
        let quotes: [Quote]

        init() throws {
            var f = try LedgerFixture()
            let passages = (0..<6).map { p in (0..<2000).map { w in "p\(p)-\(w)" }.joined(separator: " ").utf8.prefix(12_000) }
            let bytes = Array(passages.joined(separator: Array("\n".utf8)))
            let digest = f.archive.store(bytes)
            try f.append([.source(f.sourcePayload(bytes, title: "Long transcript"))], key: f.journalist, minutes: 10)
            quotes = try (0..<5).map { p in
                try QuoteLocator.locate(String(decoding: passages[p], as: UTF8.self), in: bytes, source: digest, offset: nil)
            }
            source = digest
            fixture = f
        }

        func claim(statementBytes: Int) -> Payload {
            var c = fixture.claimPayload(id: "long-claim", quotes: quotes)
            c.statement = String(repeating: "s", count: statementBytes)
            return .claim(c)
        }

        var time: Timestamp { fixture.state.lastTime! }

        /// The canonical size of the claim as the next entry.
        func canonicalSize(statementBytes: Int) -> Int {
            SignedEntry.unsigned(Entry(seq: fixture.state.size, prev: fixture.state.head, time: time,
                                       signer: fixture.journalist.publicKey.keyID, payload: claim(statementBytes: statementBytes)))
                .canonicalBytes.count
        }

        /// The statement length that makes the claim's canonical bytes exactly `size` bytes.
        func statementBytes(forCanonicalSize size: Int) -> Int {
            let base = 1000
            return base + size - canonicalSize(statementBytes: base)
        }
    }

    @Test func anEntryOfExactlyTheLimitIsAppendedAndOneByteMoreIsRefused() throws {
        let l = try BigClaimLedger()
        let atLimit = l.statementBytes(forCanonicalSize: LedgerLimits.maxNewEntryBytes)
        #expect(LedgerLimits.maxNewEntryBytes == 65_535)
        #expect(l.canonicalSize(statementBytes: atLimit) == 65_535)
        let (entries, _) = try EntryAppender.append([l.claim(statementBytes: atLimit)], to: l.fixture.state, key: l.fixture.journalist,
                                                    time: l.time, archive: l.fixture.archive)
        #expect(entries.map(\.canonicalBytes.count) == [65_535])

        let error = #expect(throws: LedgerError.self) {
            try EntryAppender.append([l.claim(statementBytes: atLimit + 1)], to: l.fixture.state, key: l.fixture.journalist,
                                     time: l.time, archive: l.fixture.archive)
        }
        #expect(error?.code == .limitExceeded)
        #expect(error?.seq == l.fixture.state.size)
        #expect(error?.reason.contains("65536 bytes, limit 65535") == true, "\(error?.description ?? "")")
    }

    /// Imports chain their entries one by one (`StreamedBatch`): the same rule, the state left unchanged.
    @Test func aStreamedBatchRefusesAnOversizedEntry() throws {
        let l = try BigClaimLedger()
        var state = l.fixture.state
        let payload = l.claim(statementBytes: l.statementBytes(forCanonicalSize: 65_536))
        let error = #expect(throws: LedgerError.self) {
            try StreamedBatch.chain(payload, onto: &state, signer: l.fixture.journalist.publicKey.keyID, time: l.time,
                                    archive: l.fixture.archive)
        }
        #expect(error?.code == .limitExceeded)
        #expect(state.size == l.fixture.state.size && state.head == l.fixture.state.head)
    }

    /// Verification applies the format's rules, not the writers': an existing entry over the limit (its line
    /// within the 262,144-byte line limit) verifies.
    @Test func verificationAcceptsALargerExistingEntry() throws {
        let l = try BigClaimLedger()
        let payload = l.claim(statementBytes: l.statementBytes(forCanonicalSize: 70_000))
        let signed = try l.fixture.next(payload, key: l.fixture.journalist)
        #expect(signed.canonicalBytes.count == 70_000)
        let after = expectAccepted(signed, by: l.fixture.state, archive: l.fixture.archive)
        #expect(after.head == signed.hash)

        var verifier = LedgerVerifier(archive: l.fixture.archive)
        for e in l.fixture.entries + [signed] { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(report.failure == nil, "\(report.failure.map { "\($0)" } ?? "")")
        #expect(report.entries == l.fixture.entries.count + 1)
    }
}
