import LedgerCrypto

/// Rules that writers apply to new entries but `verify` only reports (FORMAT.md 1.9, 7.3, 8.6): a
/// verifier that refused them would reject ledgers written before the rules existed.
public enum WriterRules {
    /// Refuses `payload` as the next entry after `state` when it holds a misleading character
    /// (`misleading-text`) or gives an active key's name to another key (`duplicate-key-name`).
    public static func check(_ payload: Payload, after state: LedgerState) throws(LedgerError) {
        if let (path, scalar) = MisleadingText.findings(in: payload).first {
            throw LedgerError(.misleadingText,
                              "\(path) contains \(MisleadingText.label(scalar)) (\(MisleadingText.name(of: scalar))): bidirectional controls and invisible characters are refused in new entries; remove it")
        }
        switch payload {
        case .genesis(let g):
            for (i, k) in g.keys.enumerated() where g.keys[..<i].contains(where: { $0.name == k.name }) {
                throw LedgerError(.duplicateKeyName, "payload.keys[\(i)].name \"\(k.name)\" names two root keys: give each key its own name")
            }
        case .key(.add(let named, _)):
            try checkName(named.name, against: state)
        case .key(.approve(let hash)):
            if case .add(let named, _)? = state.pendingKeyChanges[hash]?.change {
                try checkName(named.name, against: state, pendingExcluded: hash)
            }
        default:
            break
        }
    }

    /// Refuses `entry` as a new entry when its canonical bytes (FORMAT.md 4.2) are longer than
    /// `LedgerLimits.maxNewEntryBytes` (`limit-exceeded`), so that every new entry fits a tile entry
    /// bundle (FORMAT.md 16). Checked on the unsigned entry, before it is applied or signed.
    public static func checkSize(_ entry: SignedEntry) throws(LedgerError) {
        let size = entry.canonicalBytes.count
        guard size <= LedgerLimits.maxNewEntryBytes else {
            throw LedgerError(.limitExceeded, seq: entry.entry.seq,
                              "the entry's canonical bytes would be \(size) bytes, limit \(LedgerLimits.maxNewEntryBytes) (a tile entry bundle's length prefix is a uint16): shorten its texts or split its quotes over several entries")
        }
    }

    /// A new key's name must differ from every active key's and every pending root key's.
    private static func checkName(_ name: String, against state: LedgerState, pendingExcluded: SHA256Digest? = nil)
        throws(LedgerError)
    {
        if let other = state.activeKeys(named: name).first {
            throw LedgerError(.duplicateKeyName,
                              "active key \(other.keyID.hex.prefix(16)) is already named \"\(name)\": choose another --name (names of active keys are unique)")
        }
        for p in state.pendingKeyChangesInOrder where p.proposal.hash != pendingExcluded {
            if case .add(let other, _) = p.change, other.name == name {
                throw LedgerError(.duplicateKeyName,
                                  "the root key proposed at entry \(p.proposal.seq) is already named \"\(name)\": choose another --name")
            }
        }
    }
}
