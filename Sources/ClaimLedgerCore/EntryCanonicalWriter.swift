import CanonicalJSON
import LedgerCrypto

/// Writes the RFC 8785 bytes of an entry straight from its structs, without a `JSONValue` tree: byte for
/// byte `JCS.canonicalize(entry.json)` (FORMAT.md 4.2), which `EntryCanonicalWriterTests` checks on random
/// entries of every payload type. Each object lists its members in RFC 8785 order (section 3.2.3: sorted
/// by UTF-16 code units; all member names are ASCII, so byte order), optional members where they sort.
struct EntryCanonicalWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// One object being written: `member` writes `{` before the first member and `,` before the others.
    private struct Object {
        var empty = true
    }

    private mutating func member(_ object: inout Object, _ name: StaticString) {
        bytes.append(object.empty ? 0x7B : 0x2C)
        object.empty = false
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    private mutating func close(_ object: Object) {
        if object.empty { bytes.append(0x7B) }
        bytes.append(0x7D)
    }

    private mutating func string(_ s: String) { JCS.appendString(s, into: &bytes) }
    private mutating func integer(_ n: Int) { JCS.appendInteger(n, into: &bytes) }
    /// `"<64 hex>"`: hex digits need no escape.
    private mutating func hex(_ d: SHA256Digest) {
        bytes.append(0x22)
        d.appendHex(to: &bytes)
        bytes.append(0x22)
    }

    /// `"YYYY-MM-DD"`: the bytes of `JCS.appendString(d.description)`, without building the string.
    private mutating func date(_ d: CalendarDate) {
        guard (0...9999).contains(d.year) else { return string(d.description) }
        bytes.append(0x22)
        dateDigits(d)
        bytes.append(0x22)
    }

    /// `"YYYY-MM-DDTHH:MM:SSZ"`: the bytes of `JCS.appendString(t.description)`.
    private mutating func time(_ t: Timestamp) {
        let d = t.date
        guard (0...9999).contains(d.year) else { return string(t.description) }
        let second = Int((t.secondsSinceEpoch % 86_400 + 86_400) % 86_400)
        bytes.append(0x22)
        dateDigits(d)
        bytes.append(0x54)
        digits(second / 3600, 2)
        bytes.append(0x3A)
        digits(second / 60 % 60, 2)
        bytes.append(0x3A)
        digits(second % 60, 2)
        bytes.append(0x5A)
        bytes.append(0x22)
    }

    private mutating func dateDigits(_ d: CalendarDate) {
        digits(d.year, 4)
        bytes.append(0x2D)
        digits(d.month, 2)
        bytes.append(0x2D)
        digits(d.day, 2)
    }

    /// `n` (0 ≤ n < 10^count) in `count` decimal digits.
    private mutating func digits(_ n: Int, _ count: Int) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(0x30 + n / divisor % 10))
            divisor /= 10
        }
    }

    private mutating func array<T>(_ items: [T], _ write: (inout Self, T) -> Void) {
        bytes.append(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            write(&self, item)
        }
        bytes.append(0x5D)
    }

    mutating func write(_ e: Entry) {
        var o = Object()
        member(&o, "payload"); write(e.payload)
        member(&o, "prev"); hex(e.prev)
        member(&o, "seq"); integer(e.seq)
        member(&o, "signer"); hex(e.signer)
        member(&o, "time"); time(e.time)
        member(&o, "type"); string(e.type.rawValue)
        close(o)
    }

    mutating func write(_ payload: Payload) {
        var o = Object()
        switch payload {
        case .genesis(let g):
            member(&o, "keys"); array(g.keys) { $0.write($1) }
            member(&o, "origin"); string(g.origin)
        case .key(.add(let named, let role)):
            member(&o, "action"); string("add")
            member(&o, "name"); string(named.name)
            member(&o, "publicKey"); string(Base64.encode(named.publicKey.rawRepresentation))
            member(&o, "role"); string(role.rawValue)
        case .key(.revoke(let keyID, let reason)):
            member(&o, "action"); string("revoke")
            member(&o, "keyId"); hex(keyID)
            if let reason { member(&o, "reason"); string(reason) }
        case .key(.approve(let entry)):
            member(&o, "action"); string("approve")
            member(&o, "entry"); hex(entry)
        case .source(let s):
            member(&o, "language"); string(s.language)
            member(&o, "mediaType"); string(s.mediaType)
            if let p = s.provenance { member(&o, "provenance"); write(p) }
            member(&o, "published"); date(s.published)
            member(&o, "publisher"); string(s.publisher)
            member(&o, "sha256"); hex(s.sha256)
            member(&o, "size"); integer(s.size)
            member(&o, "title"); string(s.title)
            member(&o, "url"); string(s.url)
        case .claim(let c):
            member(&o, "claimant"); string(c.claimant)
            member(&o, "date"); date(c.date)
            member(&o, "id"); string(c.id)
            if let kind = c.kind { member(&o, "kind"); string(kind.rawValue) }
            member(&o, "quotes"); array(c.quotes) { $0.write($1) }
            member(&o, "statement"); statement(c.statement, language: c.statementLanguage)
        case .status(let s):
            member(&o, "claim"); string(s.claim)
            member(&o, "evidence"); array(s.evidence) { $0.hex($1) }
            member(&o, "rationale"); string(s.rationale)
            if !s.spans.isEmpty { member(&o, "spans"); array(s.spans) { $0.write($1) } }
            member(&o, "status"); string(s.status.rawValue)
            if let v = s.verdict { member(&o, "verdict"); string(v) }
        case .scale(let s):
            member(&o, "labels"); array(s.labels) { $0.write($1) }
            if let r = s.reason { member(&o, "reason"); string(r) }
        case .position(let p):
            member(&o, "claim"); string(p.claim)
            member(&o, "date"); date(p.date)
            if !p.evidence.isEmpty { member(&o, "evidence"); array(p.evidence) { $0.hex($1) } }
            if let n = p.note { member(&o, "note"); string(n) }
            member(&o, "party")
            var party = Object()
            member(&party, "kind"); string(p.party.kind.rawValue)
            member(&party, "name"); string(p.party.name)
            close(party)
            member(&o, "quotes"); array(p.quotes) { $0.write($1) }
            member(&o, "stance"); string(p.stance.rawValue)
        case .link(let l):
            member(&o, "from"); string(l.from)
            if let n = l.note { member(&o, "note"); string(n) }
            member(&o, "relation"); string(l.relation.rawValue)
            member(&o, "to"); string(l.to)
        case .amend(let a):
            switch a.action {
            case .retract:
                member(&o, "action"); string("retract")
            case .correct(let changes):
                member(&o, "action"); string("correct")
                member(&o, "changes"); write(changes)
            }
            member(&o, "claim"); string(a.claim)
            member(&o, "reason"); string(a.reason)
        case .review(let r):
            member(&o, "claim"); string(r.claim)
            member(&o, "decision"); string(r.decision.rawValue)
            if let n = r.note { member(&o, "note"); string(n) }
            member(&o, "status"); hex(r.status)
        case .provenance(let p):
            member(&o, "provenance"); write(p.provenance)
            if let r = p.reason { member(&o, "reason"); string(r) }
            member(&o, "source"); hex(p.source)
        }
        close(o)
    }

    private mutating func write(_ k: NamedKey) {
        var o = Object()
        member(&o, "name"); string(k.name)
        member(&o, "publicKey"); string(Base64.encode(k.publicKey.rawRepresentation))
        close(o)
    }

    private mutating func write(_ q: Quote) {
        var o = Object()
        member(&o, "end"); integer(q.end)
        member(&o, "source"); hex(q.source)
        member(&o, "start"); integer(q.start)
        member(&o, "text"); string(q.text)
        close(o)
    }

    private mutating func statement(_ text: String, language: String) {
        var o = Object()
        member(&o, "lang"); string(language)
        member(&o, "text"); string(text)
        close(o)
    }

    private mutating func write(_ l: ScaleLabel) {
        var o = Object()
        member(&o, "description"); string(l.description)
        member(&o, "label"); string(l.label)
        member(&o, "rating")
        var r = Object()
        member(&r, "alternateName"); string(l.rating.alternateName)
        member(&r, "bestRating"); integer(l.rating.bestRating)
        member(&r, "ratingValue"); integer(l.rating.ratingValue)
        member(&r, "worstRating"); integer(l.rating.worstRating)
        close(r)
        close(o)
    }

    private mutating func write(_ c: ClaimChanges) {
        var o = Object()
        if let claimant = c.claimant { member(&o, "claimant"); string(claimant) }
        if let day = c.date { member(&o, "date"); date(day) }
        if let kind = c.kind { member(&o, "kind"); string(kind.rawValue) }
        if let quotes = c.quotes { member(&o, "quotes"); array(quotes) { $0.write($1) } }
        if let text = c.statement { member(&o, "statement"); statement(text, language: c.statementLanguage ?? "en") }
        close(o)
    }

    private mutating func write(_ p: Provenance) {
        var o = Object()
        member(&o, "copy"); string(p.copy.rawValue)
        member(&o, "kind"); string(p.kind.rawValue)
        switch p.republishes {
        case .source(let d)?:
            member(&o, "republishes")
            var r = Object()
            member(&r, "source"); hex(d)
            close(r)
        case .url(let url, let publisher)?:
            member(&o, "republishes")
            var r = Object()
            member(&r, "publisher"); string(publisher)
            member(&r, "url"); string(url)
            close(r)
        case nil: break
        }
        if let at = p.retrievedAt { member(&o, "retrievedAt"); string(at.description) }
        if let from = p.retrievedFrom { member(&o, "retrievedFrom"); string(from) }
        close(o)
    }
}
