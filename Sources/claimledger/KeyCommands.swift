import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto
import SignedNote

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Generate keys, admit keys to a ledger, revoke them, approve root-key changes, list them.",
        subcommands: [Generate.self, Add.self, Revoke.self, Approve.self, List.self, Pending.self, VerifierKey.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 key: FILE (PKCS#8 PEM, mode 0600) and FILE.pub (SPKI PEM).")
        @Option(help: ArgumentHelp("The private key file to create.", valueName: "file")) var out: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let key = try Ed25519PrivateKey.generate()
                try KeyFiles.write(key, to: out)
                if output.json {
                    Terminal.printJSON(["keyId": .string(key.publicKey.keyID.hex), "privateKey": .string(out), "publicKey": .string(out + ".pub")])
                } else {
                    print(key.publicKey.keyID.hex)
                    Terminal.note("Wrote \(out) (private, 0600) and \(out).pub")
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Admit a public key to the ledger (signed by a root key).")
        @Argument(help: ArgumentHelp("The key's SPKI PEM public key file.", valueName: "public-key-pem")) var publicKey: String
        @Option(help: ArgumentHelp("Who holds the key.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("journalist (signs sources, claims, statuses, positions, links), editor (also reviews and amends any claim) or root (also manages keys and the scale).", valueName: "role"))
        var role: String = "journalist"
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                guard let role = KeyPayload.Role(rawValue: role) else { throw ValidationError("--role must be journalist, editor or root") }
                let pub = try KeyFiles.loadPublicKey(publicKey)
                let store = try ledger.open()
                let (entries, state) = try store.append(
                    [.payload(.key(.add(NamedKey(name: name, publicKey: pub), role: role)))], key: try signing.load(), time: try Clock.now())
                report(entries, id: pub.keyID.hex, json: output.json)
                notePending(entries, state: state)
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: entries it signs after this are refused.")
        @Argument(help: ArgumentHelp("The key id (64 hex digits) or the name of an active key.", valueName: "key"))
        var keyID: String
        @Option(help: "Why the key is revoked.") var reason: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let store = try ledger.open()
                let id = try SHA256Digest(hex: keyID) ?? KeyNaming.activeKey(named: keyID, in: store.queries().state)
                let (entries, state) = try store.append(
                    [.payload(.key(.revoke(keyID: id, reason: reason)))], key: try signing.load(), time: try Clock.now())
                report(entries, id: id.hex, json: output.json)
                notePending(entries, state: state)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the ledger's keys and their validity.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let state = try ledger.open().queries().state
                if output.json { Terminal.printJSON(ClaimDocuments.keys(in: state)); return }
                for id in state.keyOrder {
                    guard let k = state.keys[id] else { continue }
                    let validity = k.revoked.map { "revoked at \($0)" } ?? "active"
                    print("\(id.hex)  \(k.role.rawValue.padding(10))  added at \(k.added), \(validity)  \(k.name)")
                }
                for p in state.pendingKeyChangesInOrder { print(KeyNaming.describe(p, in: state)) }
            }
        }
    }
}

extension KeyCommand {
    struct VerifierKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verifier-key",
            abstract: "Print the signed-note verifier key (name+hex+base64) that checks checkpoints signed with a key.",
            discussion: "Give it to Go's golang.org/x/mod/sumdb/note or any C2SP signed-note verifier.")
        @Argument(help: ArgumentHelp("An SPKI PEM public key file.", valueName: "public-key-pem")) var publicKey: String
        @Option(help: ArgumentHelp("The key name: the ledger's origin (default: read from --ledger).", valueName: "name")) var origin: String?
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            try runReporting {
                let key = try KeyFiles.loadPublicKey(publicKey)
                let name = try origin ?? ledger.open().queries().state.origin ?? ""
                do { print(try NoteVerifierKey(name: name, publicKey: key).encoded) } catch {
                    throw LedgerError(.invalidInput, "cannot make a verifier key named \"\(name)\": \(error)")
                }
            }
        }
    }
}

/// Prints the id of what was appended (alone on stdout), or the entries as JSON.
func report(_ entries: [SignedEntry], id: String, json: Bool) {
    if json {
        Terminal.printJSON(["id": .string(id), "entries": .array(entries.map {
            ["seq": .number(Double($0.entry.seq)), "hash": .string($0.hash.hex), "type": .string($0.entry.type.rawValue)]
        })])
    } else {
        print(id)
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
