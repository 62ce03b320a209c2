import LedgerCrypto

/// A root-key change waiting for a second root key (FORMAT.md 7.3): a root key added, or a root key
/// revoked, while the ledger had two or more active root keys.
public struct PendingKeyChange: Sendable, Equatable {
    /// `.add` with role root, or `.revoke` of a root key.
    public let change: KeyPayload
    /// The entry that proposed it; its `signer` is the proposer.
    public let proposal: EntryRef

    public init(change: KeyPayload, proposal: EntryRef) {
        self.change = change
        self.proposal = proposal
    }
}

/// The key rules of FORMAT.md 7.3 and 8.2 (step 20a, 20b, 20f): who may be added or revoked, and the
/// two-person rule for root keys.
extension LedgerState {
    /// Root keys active at this point.
    public var activeRootCount: Int { keys.values.count { $0.role == .root && $0.revoked == nil } }

    /// Whether `change`, signed at this point, only proposes: a root key added or a root key revoked
    /// while two or more root keys are active. It takes effect when another root key approves it.
    public func needsSecondRoot(_ change: KeyPayload) -> Bool {
        guard activeRootCount >= 2 else { return false }
        switch change {
        case .add(_, let role): return role == .root
        case .revoke(let id, _): return keys[id]?.role == .root
        case .approve: return false
        }
    }

    /// Pending changes in the order they were proposed.
    public var pendingKeyChangesInOrder: [PendingKeyChange] {
        pendingKeyChanges.values.sorted { $0.proposal.seq < $1.proposal.seq }
    }

    /// The active keys whose name is the same as `name` (canonically equivalent Unicode, case-sensitive).
    public func activeKeys(named name: String) -> [KeyRecord] {
        keyOrder.compactMap { keys[$0] }.filter { $0.revoked == nil && $0.name == name }
    }

    func checkKeyChange(_ change: KeyPayload, signer: SHA256Digest) throws(LedgerError) {
        switch change {
        case .add:
            try checkEffect(of: change)
        case .revoke(let id, _):
            guard keys[id] != nil else { throw LedgerError(.unknownSigner, "cannot revoke \(id.hex): no such key") }
            if let at = keys[id]?.revoked { throw LedgerError(.revokedSigner, "key \(id.hex) was already revoked at entry \(at)") }
            guard id != signer else { throw LedgerError(.invalidEntry, "a key cannot revoke itself") }
            try checkEffect(of: change)
        case .approve(let hash):
            guard let pending = pendingKeyChanges[hash] else {
                throw LedgerError(.unknownProposal,
                                  "approve names entry \(hash.hex), which is not a pending root-key change (never proposed, already approved, or its proposer was revoked)")
            }
            guard pending.proposal.signer != signer else {
                throw LedgerError(.selfApproval,
                                  "the root key that proposed entry \(pending.proposal.seq) cannot approve it: a second, different root key must")
            }
            try checkEffect(of: pending.change)
        }
    }

    /// The rules a key change must meet when it takes effect (and already when it is proposed).
    private func checkEffect(of change: KeyPayload) throws(LedgerError) {
        switch change {
        case .add(let named, _):
            if let old = keys[named.publicKey.keyID] {
                throw LedgerError(.duplicateID, "key \(named.publicKey.keyID.hex) was already added at entry \(old.added)")
            }
        case .revoke(let id, _):
            if let at = keys[id]?.revoked { throw LedgerError(.revokedSigner, "key \(id.hex) was already revoked at entry \(at)") }
            let roots = keys.values.filter { $0.role == .root && $0.revoked == nil && $0.keyID != id }
            guard !roots.isEmpty else { throw LedgerError(.invalidEntry, "revoking \(id.hex) would leave no active root key") }
        case .approve:
            break
        }
    }

    mutating func commitKeyChange(_ change: KeyPayload, ref: EntryRef) {
        if needsSecondRoot(change) {
            pendingKeyChanges[ref.hash] = PendingKeyChange(change: change, proposal: ref)
            return
        }
        if case .approve(let hash) = change {
            guard let pending = pendingKeyChanges.removeValue(forKey: hash) else { return }
            takeEffect(pending.change, at: ref.seq, field: "payload.entry")
        } else {
            takeEffect(change, at: ref.seq, field: "payload.name")
        }
    }

    /// Applies a key change at `seq`. A revoked key's pending proposals lapse with it.
    private mutating func takeEffect(_ change: KeyPayload, at seq: Int, field: String) {
        switch change {
        case .add(let named, let role):
            addKey(KeyRecord(name: named.name, publicKey: named.publicKey, role: role, added: seq), field: field)
        case .revoke(let id, _):
            keys[id]?.revoked = seq
            pendingKeyChanges = pendingKeyChanges.filter { $0.value.proposal.signer != id }
        case .approve:
            break
        }
    }

    /// Adds a key that takes effect at `record.added`, noting a warning when an active key has its name.
    mutating func addKey(_ record: KeyRecord, field: String) {
        if let other = activeKeys(named: record.name).first {
            noteWarning(LedgerWarning(seq: record.added, code: .duplicateKeyName, field: field,
                                      reason: "key \(record.keyID.hex.prefix(16)) is named \"\(record.name)\", like active key \(other.keyID.hex.prefix(16)): names of active keys should be unique"))
        }
        keys[record.keyID] = record
        keyOrder.append(record.keyID)
    }

    mutating func noteMisleadingText(in payload: Payload, seq: Int) {
        for (path, scalar) in MisleadingText.findings(in: payload) {
            let label = MisleadingText.label(scalar)
            noteWarning(LedgerWarning(seq: seq, code: .misleadingText, field: path, codePoint: scalar,
                                      reason: "\(path) contains \(label) \(MisleadingText.name(of: scalar)), which can make text display differently from what it holds"))
        }
    }

    private mutating func noteWarning(_ warning: LedgerWarning) {
        warningSeqs.append(warning.seq)
        if warnings.count < LedgerLimits.maxWarningsKept { warnings.append(warning) }
    }

    /// The warnings of the first `entries` entries: how many, and the first of them in full.
    public func warnings(upTo entries: Int) -> (count: Int, first: [LedgerWarning]) {
        var lo = 0, hi = warningSeqs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if warningSeqs[mid] < entries { lo = mid + 1 } else { hi = mid }
        }
        return (lo, warnings.filter { $0.seq < entries })
    }
}
