import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

extension KeyCommand {
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending root-key change (adding or revoking a root key) with a second, different root key.",
            discussion: "While a ledger has two or more active root keys, adding or revoking a root key takes effect only once a root key other than the proposer's approves it (docs/FORMAT.md 7.3). `key pending` lists what waits.")
        @Argument(help: ArgumentHelp("The hash of the proposing entry (64 hex digits, or a unique prefix of 8 or more).", valueName: "entry-hash"))
        var entry: String
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let store = try ledger.open()
                let hash = try KeyNaming.pendingChange(entry, in: store.queries().state)
                let (entries, _) = try store.append([.payload(.key(.approve(entry: hash)))], key: try signing.load(), time: try Clock.now())
                report(entries, id: hash.hex, json: output.json)
            }
        }
    }

    struct Pending: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the root-key changes waiting for a second root key's approval.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let state = try ledger.open().queries().state
                let pending = state.pendingKeyChangesInOrder
                if output.json {
                    Terminal.printJSON(.array(pending.map { p in
                        ["entry": ClaimDocuments.entry(p.proposal), "payload": Payload.key(p.change).json]
                    }))
                    return
                }
                for p in pending { print(KeyNaming.describe(p, in: state)) }
            }
        }
    }
}

/// Keys and pending changes named on the command line, and how they are shown.
enum KeyNaming {
    /// The id of the one active key named `name`.
    static func activeKey(named name: String, in state: LedgerState) throws -> SHA256Digest {
        let matches = state.activeKeys(named: name)
        guard let first = matches.first else {
            throw LedgerError(.unknownSigner, "no active key is named \"\(name)\" and it is not a key id: see `claimledger key list`")
        }
        guard matches.count == 1 else {
            let ids = matches.map { $0.keyID.hex.prefix(16) }.joined(separator: ", ")
            throw LedgerError(.invalidInput, "\(matches.count) active keys are named \"\(name)\" (\(ids)…): give the key id")
        }
        return first.keyID
    }

    /// The proposing entry's hash of a pending change named by its hash or a unique prefix of 8+ hex digits.
    static func pendingChange(_ text: String, in state: LedgerState) throws -> SHA256Digest {
        guard text.utf8.count >= 8, text.utf8.count <= 64,
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw ValidationError("give the proposing entry's hash: 64 lower-case hex digits, or a unique prefix of 8 or more")
        }
        if let full = SHA256Digest(hex: text) { return full }
        let matches = state.pendingKeyChanges.keys.filter { $0.hex.hasPrefix(text) }
        guard matches.count == 1, let hash = matches.first else {
            throw LedgerError(.unknownProposal, matches.isEmpty
                ? "no pending root-key change has an entry hash starting \(text): see `claimledger key pending`"
                : "\(matches.count) pending changes have an entry hash starting \(text): give more digits")
        }
        return hash
    }

    static func describe(_ p: PendingKeyChange, in state: LedgerState) -> String {
        let proposer = state.keys[p.proposal.signer]?.name ?? p.proposal.signer.hex.prefix(16).description
        let what: String
        switch p.change {
        case .add(let named, let role): what = "add \(role.rawValue) key \(named.publicKey.keyID.hex.prefix(16)) \(named.name)"
        case .revoke(let id, _): what = "revoke \(id.hex.prefix(16)) \(state.keys[id]?.name ?? "")"
        case .approve: what = "approve"
        }
        return "\(p.proposal.hash.hex)  pending     entry \(p.proposal.seq) by \(proposer): \(what)"
    }
}

/// Tells the user on stderr when the key entry just appended waits for a second root key.
func notePending(_ entries: [SignedEntry], state: LedgerState) {
    guard let e = entries.first, state.pendingKeyChanges[e.hash] != nil else { return }
    Terminal.note("Pending: this root-key change takes effect once another root key approves it: claimledger key approve \(e.hash.hex) --key OTHER-ROOT.pem")
}
