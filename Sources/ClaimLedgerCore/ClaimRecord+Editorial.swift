/// A claim's current text, corrections, retraction and review (FORMAT.md 5.9, 5.11).
extension ClaimRecord {
    /// The claim entry with every correction applied in order.
    public var current: ClaimPayload {
        amends.reduce(payload) { c, a in
            if case .correct(let changes) = a.payload.action { return changes.applied(to: c) }
            return c
        }
    }

    public var isCorrected: Bool { amends.contains { if case .correct(let c) = $0.payload.action { c.changesText } else { false } } }
    public var retraction: Recorded<AmendPayload>? {
        amends.first { if case .retract = $0.payload.action { true } else { false } }
    }
    public var isRetracted: Bool { retraction != nil }

    /// The reviews of the latest status entry, in order.
    public var currentReviews: [Recorded<ReviewPayload>] {
        guard let last = history.last else { return [] }
        return reviews.filter { $0.payload.status == last.entry.hash }
    }

    /// Whether the latest status entry's latest review approves it.
    public var isReviewed: Bool { currentReviews.last?.payload.decision == .approve }

    /// The latest position of each party (by name), in order of their first position.
    public var currentPositions: [Recorded<PositionPayload>] {
        var order = [String](), latest = [String: Recorded<PositionPayload>]()
        for p in positions {
            if latest[p.payload.party.name] == nil { order.append(p.payload.party.name) }
            latest[p.payload.party.name] = p
        }
        return order.compactMap { latest[$0] }
    }

    /// Adds an entry of the claim's history (read back from storage): a status, amend, position, review,
    /// or a link from it (or, `asTarget`, to it).
    public mutating func add(_ payload: Payload, entry: EntryRef, asTarget: Bool = false) {
        switch payload {
        case .status(let s): history.append(StatusRecord(payload: s, entry: entry))
        case .amend(let a): amends.append(Recorded(payload: a, entry: entry))
        case .position(let p): positions.append(Recorded(payload: p, entry: entry))
        case .review(let r): reviews.append(Recorded(payload: r, entry: entry))
        case .link(let l):
            if asTarget { linkedFrom.append(Recorded(payload: l, entry: entry)) } else { links.append(Recorded(payload: l, entry: entry)) }
        default: break
        }
    }
}
