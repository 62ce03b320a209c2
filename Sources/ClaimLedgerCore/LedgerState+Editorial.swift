import LedgerCrypto

/// An editorial entry's payload with the entry that recorded it.
public struct Recorded<Payload: Sendable & Equatable>: Sendable, Equatable {
    public let payload: Payload
    public let entry: EntryRef

    public init(payload: Payload, entry: EntryRef) {
        self.payload = payload
        self.entry = entry
    }
}

/// A label of the verdict scale as last defined, and where (FORMAT.md 5.6).
public struct ScaleDefinition: Sendable, Equatable {
    public let label: ScaleLabel
    public let entry: EntryRef
    /// The entries that defined it before, oldest first (a revision is visible).
    public internal(set) var earlier: [Recorded<ScaleLabel>] = []

    public init(label: ScaleLabel, entry: EntryRef, earlier: [Recorded<ScaleLabel>] = []) {
        self.label = label
        self.entry = entry
        self.earlier = earlier
    }
}

/// New facts of one claim, computed while an entry is checked and kept once it is committed.
struct ClaimFactsUpdate {
    let key: ClaimKey
    let facts: ClaimFacts
    let isNew: Bool
}

/// Who may sign what (FORMAT.md 7.2) and the rules of the editorial entries (FORMAT.md 5.5-5.11, 8.2).
extension LedgerState {
    static func checkRole(_ key: KeyRecord, for type: EntryType) throws(LedgerError) {
        switch type {
        case .scale where key.role != .root:
            throw LedgerError(.unauthorizedSigner, "scale entries must be signed by a root key; \(key.name) is a \(key.role.rawValue) key")
        case .review where key.role != .editor:
            throw LedgerError(.unauthorizedSigner, "review entries must be signed by an editor key; \(key.name) is a \(key.role.rawValue) key")
        default:
            break
        }
    }

    /// The position of key `id` in `keyOrder` (how claim facts name signers).
    public func keyIndex(of id: SHA256Digest) -> UInt32 {
        keyOrder.firstIndex(of: id).map { UInt32($0) } ?? ClaimFacts.unknownKey
    }

    /// The facts of claim `id`, nil when no such claim was recorded.
    public func claimFacts(_ id: String) throws(LedgerError) -> ClaimFacts? {
        if keepsRecords { return claims[id].map(facts(of:)) }
        let key = ClaimKey(id)
        if let f = claimKeys.facts(of: key) ?? earlierFacts[key] { return f }
        return try earlierClaims?.facts(of: key)
    }

    func facts(of record: ClaimRecord) -> ClaimFacts {
        var f = ClaimFacts(recorder: keyIndex(of: record.entry.signer))
        if let last = record.history.last {
            f.latestStatus = last.entry.hash
            f.statusSigner = keyIndex(of: last.entry.signer)
        }
        for a in record.amends {
            switch a.payload.action {
            case .retract: f.noteAmend(retract: true)
            case .correct(let changes) where changes.changesText: f.noteAmend(retract: false)
            case .correct: break
            }
        }
        return f
    }

    /// The facts of a claim named by an entry: it must be recorded and, unless `retractedAllowed`, not retracted.
    func liveClaim(_ id: String, field: String, retractedAllowed: Bool = false) throws(LedgerError) -> ClaimFacts {
        guard let f = try claimFacts(id) else {
            throw LedgerError(.unknownClaim, "\(field) names claim \(id), which no earlier entry records")
        }
        if f.isRetracted && !retractedAllowed {
            throw LedgerError(.claimRetracted, "\(field) names claim \(id), which was retracted: no later entry may name it")
        }
        return f
    }

    /// Each quote's source was recorded and its text is the source's bytes at its offsets.
    func checkQuotes(_ quotes: [Quote], field: String, archive: some SourceArchive) throws(LedgerError) {
        for (i, q) in quotes.enumerated() {
            guard let source = sources[q.source] else {
                throw LedgerError(.unknownSource, "\(field)[\(i)] cites source \(q.source.hex), which no earlier entry records")
            }
            guard q.end <= source.payload.size, let bytes = try archive.contents(of: q.source), q.end <= bytes.count else {
                throw LedgerError(.quoteMismatch, "\(field)[\(i)] ends at byte \(q.end), past the source's \(source.payload.size) bytes")
            }
            guard q.start >= 0, q.start <= q.end, ByteComparison.equal(bytes, q.start..<q.end, q.text) else {
                throw LedgerError(.quoteMismatch, "\(field)[\(i)] text is not the source's bytes \(q.start)..<\(q.end)")
            }
        }
    }

    func checkEvidence(_ evidence: [SHA256Digest], field: String) throws(LedgerError) {
        for d in evidence where sources[d] == nil {
            throw LedgerError(.unknownSource, "\(field) cites source \(d.hex), which no earlier entry records")
        }
    }

    /// The status rules of FORMAT.md 5.5 beyond the claim and evidence: not retracted, verdict, spans.
    func checkStatusEditorial(_ s: StatusPayload, archive: some SourceArchive) throws(LedgerError) {
        _ = try liveClaim(s.claim, field: "status")
        if let verdict = s.verdict, scale[verdict] == nil {
            throw LedgerError(.unknownLabel, "verdict \"\(verdict)\" is not a label of the ledger's scale at this point")
        }
        try checkQuotes(s.spans, field: "spans", archive: archive)
    }

    func checkEditorial(_ e: Entry, archive: some SourceArchive) throws(LedgerError) {
        switch e.payload {
        case .scale(let s):
            let revised = s.labels.filter { scale[$0.label] != nil }.map(\.label)
            if !revised.isEmpty && s.reason == nil {
                throw LedgerError(.invalidPayload, "payload.reason is required: this entry revises \(revised.joined(separator: ", ")), already defined")
            }
            if revised.isEmpty && s.reason != nil {
                throw LedgerError(.invalidPayload, "payload.reason is only for revisions: no label of this entry is defined yet")
            }
        case .position(let p):
            _ = try liveClaim(p.claim, field: "position")
            try checkQuotes(p.quotes, field: "quotes", archive: archive)
            try checkEvidence(p.evidence, field: "evidence")
        case .link(let l):
            _ = try liveClaim(l.from, field: "payload.from")
            _ = try liveClaim(l.to, field: "payload.to", retractedAllowed: true)
            if l.relation == .supersedes && reaches(from: ClaimKey(l.to), to: ClaimKey(l.from)) {
                throw LedgerError(.linkCycle, "\(l.from) supersedes \(l.to) would close a cycle: \(l.to) already supersedes \(l.from), directly or through other claims")
            }
        case .amend(let a):
            let f = try liveClaim(a.claim, field: "amend")
            let signer = keyIndex(of: e.signer)
            if keys[e.signer]?.role != .editor {
                guard f.recorder != ClaimFacts.unknownKey else {
                    throw LedgerError(.invalidInput, "who recorded claim \(a.claim) is not known to this audit state (it predates claimledger-audit/3): verify from the start")
                }
                guard f.recorder == signer else {
                    throw LedgerError(.unauthorizedSigner, "only the key that recorded claim \(a.claim) or an editor key may amend it")
                }
            }
            if case .correct(let c) = a.action, let quotes = c.quotes { try checkQuotes(quotes, field: "changes.quotes", archive: archive) }
        case .review(let r):
            let f = try liveClaim(r.claim, field: "review")
            if f.flags.contains(.statusUnknown) {
                throw LedgerError(.invalidInput, "the latest status of claim \(r.claim) is not known to this audit state (it predates claimledger-audit/3): verify from the start")
            }
            guard f.hasStatus else {
                throw LedgerError(.unknownEntry, "review names entry \(r.status.hex), but claim \(r.claim) has no status entry")
            }
            guard claimKeys.isLatestStatus(r.status, of: f) else {
                let latest = f.flags.contains(.statusTagged) ? "" : " (\(f.latestStatus.hex))"
                throw LedgerError(.staleReview, "review names entry \(r.status.hex), not the latest status entry of claim \(r.claim)\(latest)")
            }
            guard f.statusSigner != keyIndex(of: e.signer) else {
                throw LedgerError(.sameSigner, "the key that signed the status entry \(r.status.hex) cannot review it: another editor must")
            }
        case .provenance(let p):
            guard sources[p.source] != nil else {
                throw LedgerError(.unknownSource, "provenance names source \(p.source.hex), which no earlier entry records")
            }
            try checkOrigin(p.provenance.republishes, of: p.source)
        case .source(let s):
            try checkOrigin(s.provenance?.republishes, of: s.sha256)
        case .genesis, .key, .claim, .status:
            break
        }
    }

    /// `republishes.source` was recorded, and following it never leads back to `source`.
    private func checkOrigin(_ origin: Provenance.Origin?, of source: SHA256Digest) throws(LedgerError) {
        guard case .source(var next)? = origin else { return }
        guard next != source else { throw LedgerError(.invalidPayload, "provenance.republishes names the source itself") }
        guard sources[next] != nil else {
            throw LedgerError(.unknownSource, "provenance.republishes names source \(next.hex), which no earlier entry records")
        }
        for _ in 0...sources.count {
            guard case .source(let further)? = sources[next]?.provenance?.republishes else { return }
            if further == source {
                throw LedgerError(.linkCycle, "source \(source.hex) would republish itself through \(next.hex)")
            }
            next = further
        }
    }

    /// Whether `supersedes` links lead from `start` to `goal`.
    private func reaches(from start: ClaimKey, to goal: ClaimKey) -> Bool {
        var seen: Set<ClaimKey> = [start], stack = [start]
        while let k = stack.popLast() {
            if k == goal { return true }
            for n in supersedes[k] ?? [] where seen.insert(n).inserted { stack.append(n) }
        }
        return false
    }

    /// The claim facts `signed` changes (claim, status, amend), once its rules hold.
    func factsUpdate(after signed: SignedEntry) throws(LedgerError) -> ClaimFactsUpdate? {
        guard !keepsRecords else { return nil }
        let e = signed.entry
        switch e.payload {
        case .claim(let c):
            return ClaimFactsUpdate(key: ClaimKey(c.id), facts: ClaimFacts(recorder: keyIndex(of: e.signer)), isNew: true)
        case .status(let s):
            guard var f = try claimFacts(s.claim) else { return nil }
            f.noteStatus(signed.hash, signer: keyIndex(of: e.signer))
            return ClaimFactsUpdate(key: ClaimKey(s.claim), facts: f, isNew: false)
        case .amend(let a):
            guard var f = try claimFacts(a.claim) else { return nil }
            switch a.action {
            case .retract: f.noteAmend(retract: true)
            case .correct(let changes) where changes.changesText: f.noteAmend(retract: false)
            case .correct: return nil  // a classification (kind only) changes no fact
            }
            return ClaimFactsUpdate(key: ClaimKey(a.claim), facts: f, isNew: false)
        default:
            return nil
        }
    }

    /// Keeps new facts in a verification-only state (a tracking state's store already has them).
    mutating func keep(_ update: ClaimFactsUpdate) {
        guard !earlierClaimsTrackNewClaims else { return }
        if update.isNew {
            claimKeys.insert(update.key, facts: update.facts)
        } else if claimKeys.contains(update.key) {
            claimKeys.setFacts(update.facts, of: update.key)
        } else {
            earlierFacts[update.key] = update.facts
        }
    }

    mutating func commitEditorial(_ payload: Payload, ref: EntryRef) {
        switch payload {
        case .scale(let s):
            for l in s.labels {
                if let old = scale[l.label] {
                    scale[l.label] = ScaleDefinition(label: l, entry: ref, earlier: old.earlier + [Recorded(payload: old.label, entry: old.entry)])
                } else {
                    scale[l.label] = ScaleDefinition(label: l, entry: ref)
                    scaleOrder.append(l.label)
                }
            }
        case .position(let p):
            if keepsRecords { claims[p.claim]?.positions.append(Recorded(payload: p, entry: ref)) }
        case .link(let l):
            if l.relation == .supersedes {
                let (from, to) = (ClaimKey(l.from), ClaimKey(l.to))
                if !(supersedes[from]?.contains(to) ?? false) { supersedes[from, default: []].append(to) }
            }
            if keepsRecords {
                claims[l.from]?.links.append(Recorded(payload: l, entry: ref))
                claims[l.to]?.linkedFrom.append(Recorded(payload: l, entry: ref))
            }
        case .amend(let a):
            if keepsRecords { claims[a.claim]?.amends.append(Recorded(payload: a, entry: ref)) }
        case .review(let r):
            if keepsRecords { claims[r.claim]?.reviews.append(Recorded(payload: r, entry: ref)) }
        case .provenance(let p):
            sources[p.source]?.provenance = p.provenance
            sources[p.source]?.provenanceEntry = ref
        case .genesis, .key, .source, .claim, .status:
            break
        }
    }
}
