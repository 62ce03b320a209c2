import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage
import SignedNote

/// `--witness-key VKEY… --witness-quorum K`: a checkpoint counts only with valid c2sp.org/tlog-cosignature
/// cosignatures by at least K of the given witnesses (each counted once). K defaults to every key given.
struct WitnessPolicyOptions: ParsableArguments {
    @Option(name: .customLong("witness-key"), parsing: .singleValue,
            help: ArgumentHelp("A witness's verifier key <name>+<key id>+<base64(0x04 || key)> (repeatable; `claimledger witness verifier-key`).",
                               valueName: "vkey"))
    var keys: [String] = []
    @Option(name: .customLong("witness-quorum"),
            help: ArgumentHelp("How many of the --witness-key witnesses must have cosigned the checkpoint (default: all of them).", valueName: "k"))
    var quorum: Int?

    func validate() throws {
        if let quorum {
            guard !keys.isEmpty else { throw ValidationError("--witness-quorum needs --witness-key (the witnesses that count)") }
            guard (1...keys.count).contains(quorum) else { throw ValidationError("--witness-quorum must be 1...\(keys.count) (the --witness-key count), found \(quorum)") }
        }
    }

    /// The witnesses' keys; one public key given twice (under any name) is one witness.
    func cosignerKeys() throws -> [CosignerKey] {
        var out = [CosignerKey]()
        for text in keys {
            let key: CosignerKey
            do { key = try CosignerKey(parsing: text) } catch { throw LedgerError(.invalidInput, "bad --witness-key \(text): \(error)") }
            guard !out.contains(where: { $0.publicKey == key.publicKey }) else {
                throw LedgerError(.invalidInput, "--witness-key \(text) repeats a witness's public key: each witness counts once")
            }
            out.append(key)
        }
        return out
    }

    /// Checks the quorum on the checkpoint in `path` (whose log signature the caller checks); returns the
    /// witnesses that cosigned it. Without --witness-key, nothing is required.
    @discardableResult
    func check(checkpointAt path: String) throws -> [(key: CosignerKey, timestamp: UInt64)] {
        guard !keys.isEmpty else { return [] }
        let witnesses = try cosignerKeys()
        let bytes = try InputFiles.read(path, limit: NoteLimits.maxNoteBytes, what: "checkpoint")
        let cosigned: [(key: CosignerKey, timestamp: UInt64)]
        do { cosigned = try SignedNoteDocument(parsing: bytes).cosigners(witnesses) } catch {
            throw LedgerError(.checkpointRejected, "checkpoint \(path): a witness's cosignature is invalid: \(error)")
        }
        let needed = quorum ?? witnesses.count
        guard cosigned.count >= needed else {
            let names = cosigned.map(\.key.name).joined(separator: ", ")
            throw LedgerError(.checkpointRejected, "checkpoint \(path) has valid cosignatures by \(cosigned.count) of the \(witnesses.count) witnesses given\(names.isEmpty ? "" : " (\(names))"), \(needed) required")
        }
        return cosigned
    }
}
