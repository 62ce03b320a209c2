import LedgerCrypto

/// A second reader of an entry's canonical bytes for the two types that make up nearly every ledger,
/// claims and statuses: it builds the `Entry` straight from the bytes, in one pass, without the
/// `JSONValue` tree, the RFC 8785 check and the member lookups of `SignedEntry.readEntry(canonical:)`.
///
/// It accepts only bytes that `readEntry(canonical:)` accepts, and gives the same entry: the members in
/// the one order RFC 8785 writes them, each in the one form it writes (`CanonicalCursor`), and every rule
/// that `Entry(json:)` and `Payload(type:json:)` apply to these types, with the same functions. Anything
/// else gives nil: another type, an optional member it does not know, an escape other than `\"`, `\\`,
/// `\n`, `\t`, a broken rule. The caller then reads the bytes the general way, which accepts them or
/// finds the error and words it; so this reader may refuse more, never less
/// (`CanonicalEntryReaderTests` compares the two on every entry and on mutations of them).
enum CanonicalEntryReader {
    /// The entry whose canonical bytes are exactly `bytes`, or nil.
    static func read(_ bytes: UnsafeRawBufferPointer) -> Entry? {
        guard bytes.count <= LedgerLimits.maxLineBytes else { return nil }
        let buffer = bytes.assumingMemoryBound(to: UInt8.self)
        // `type` is the entry's last member, but the payload before it is read by its type: the type is
        // taken from the end first, and the bytes are then read from the start to exactly that end.
        let type: EntryType
        if buffer.hasSuffix(claimEnd) {
            type = .claim
        } else if buffer.hasSuffix(statusEnd) {
            type = .status
        } else {
            return nil
        }
        var c = CanonicalCursor(buffer)
        guard c.take(#"{"payload":"#) else { return nil }
        let payload: Payload?
        switch type {
        case .claim: payload = claim(&c)
        case .status: payload = status(&c)
        default: return nil
        }
        guard let payload, c.take(#","prev":"#), let prev = c.digest(), c.take(#","seq":"#), let seq = c.integer(),
              c.take(#","signer":"#), let signer = c.digest(), c.take(#","time":"#),
              let timeText = c.string(maxBytes: 64), let time = Timestamp(rfc3339: timeText),
              type == .claim ? c.take(claimEnd) : c.take(statusEnd), c.isAtEnd
        else { return nil }
        return Entry(seq: seq, prev: prev, time: time, signer: signer, payload: payload)
    }

    static let claimEnd: StaticString = #","type":"claim"}"#
    static let statusEnd: StaticString = #","type":"status"}"#

    /// `{"claimant":…,"date":…,"id":…[,"kind":…],"quotes":[…],"statement":{"lang":…,"text":…}}`
    private static func claim(_ c: inout CanonicalCursor) -> Payload? {
        guard c.take(#"{"claimant":"#), let claimant = c.string(maxBytes: LedgerLimits.maxShortTextBytes),
              c.take(#","date":"#), let date = c.string(maxBytes: LedgerLimits.maxShortTextBytes).flatMap(CalendarDate.init),
              c.take(#","id":"#), let id = c.string(maxBytes: 64), Syntax.isClaimID(id)
        else { return nil }
        var kind: ClaimKind?
        if c.take(#","kind":"#) {
            guard let k = c.string(maxBytes: 64).flatMap(ClaimKind.init(rawValue:)) else { return nil }
            kind = k
        }
        guard c.take(#","quotes":"#), let quotes = quotes(&c),
              c.take(#","statement":{"lang":"#), let lang = c.string(maxBytes: 64), Syntax.isLanguageTag(lang),
              c.take(#","text":"#), let text = c.string(maxBytes: LedgerLimits.maxTextBytes), c.take("}}"),
              Syntax.isText(text), Syntax.isText(claimant)
        else { return nil }
        return .claim(ClaimPayload(id: id, statement: text, statementLanguage: lang, claimant: claimant,
                                   date: date, quotes: quotes, kind: kind))
    }

    /// `{"claim":…,"evidence":[…],"rationale":…[,"spans":[…]],"status":…[,"verdict":…]}`
    private static func status(_ c: inout CanonicalCursor) -> Payload? {
        guard c.take(#"{"claim":"#), let claim = c.string(maxBytes: 64), Syntax.isClaimID(claim),
              c.take(#","evidence":["#)
        else { return nil }
        var evidence = [SHA256Digest]()
        if !c.take(0x5D) {
            repeat {
                guard evidence.count < LedgerLimits.maxEvidence, let d = c.digest(), !evidence.contains(d) else { return nil }
                evidence.append(d)
            } while c.take(0x2C)
            guard c.take(0x5D) else { return nil }
        }
        guard c.take(#","rationale":"#), let rationale = c.string(maxBytes: LedgerLimits.maxTextBytes),
              Syntax.isText(rationale)
        else { return nil }
        var spans = [Quote]()
        if c.take(#","spans":"#) {
            guard let s = quotes(&c), s.allSatisfy({ evidence.contains($0.source) }) else { return nil }
            spans = s
        }
        guard c.take(#","status":"#),
              let status = c.string(maxBytes: LedgerLimits.maxShortTextBytes).flatMap(ClaimStatus.init(rawValue:))
        else { return nil }
        var verdict: String?
        if c.take(#","verdict":"#) {
            guard let v = c.string(maxBytes: 32), Syntax.isLabel(v), !spans.isEmpty else { return nil }
            verdict = v
        }
        guard c.take(0x7D) else { return nil }
        return .status(StatusPayload(claim: claim, status: status, rationale: rationale, evidence: evidence,
                                     verdict: verdict, spans: spans))
    }

    /// `[` one to `LedgerLimits.maxQuotes` quotes `{"end":…,"source":…,"start":…,"text":…}` `]`.
    private static func quotes(_ c: inout CanonicalCursor) -> [Quote]? {
        guard c.take(0x5B) else { return nil }
        var quotes = [Quote]()
        repeat {
            guard quotes.count < LedgerLimits.maxQuotes,
                  c.take(#"{"end":"#), let end = c.integer(), c.take(#","source":"#), let source = c.digest(),
                  c.take(#","start":"#), let start = c.integer(),
                  c.take(#","text":"#), let text = c.string(maxBytes: LedgerLimits.maxTextBytes), c.take(0x7D),
                  end - start == text.utf8.count
            else { return nil }
            quotes.append(Quote(source: source, text: text, start: start, end: end))
        } while c.take(0x2C)
        return c.take(0x5D) ? quotes : nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    fileprivate func hasSuffix(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard self.count >= count else { return false }
        return ByteComparison.equal(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: self[(self.count - count)...])),
                                    UnsafeRawBufferPointer(start: text.utf8Start, count: count))
    }
}
