import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerRemote
import LedgerCrypto
import SignedNote

/// `claimledger audit URL`: follow a ledger published as tiles (RemoteAuditor).
struct RemoteAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Follow a ledger published as tiles at URL: download only what is new and verify it in full.",
        discussion: """
            Fetches URL/checkpoint and checks it with the pinned --key (the log's verifier key, `claimledger key \
            verifier-key`); downloads the entry and signature bundles after what the mirror verified, and the \
            sources they record; verifies the new entries with every rule of `verify`, resuming from the mirror's \
            audit state; checks that they give the checkpoint's root; then saves. The mirror is a ledger directory \
            (other commands read it with --ledger). A rolled-back, forked or changed log is exit status 1 and names \
            what differs; a network error is exit status 3; neither changes the mirror.
            """)

    @Argument(help: ArgumentHelp("The URL the tiles are published at (where URL/checkpoint is).", valueName: "url")) var url: String
    @Option(help: ArgumentHelp("The log's verifier key <origin>+<key id>+<key>, pinned from elsewhere.", valueName: "vkey")) var key: String
    @Option(help: ArgumentHelp("The mirror directory (created on the first run).", valueName: "dir")) var mirror: String
    @Option(help: ArgumentHelp("The hash of entry 0 to pin on the first run.", valueName: "hash")) var genesis: String?
    @OptionGroup var witnesses: WitnessPolicyOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let pinned: NoteVerifierKey
            do { pinned = try NoteVerifierKey(parsing: key) } catch { throw ValidationError("bad --key: \(error)") }
            var auditor = RemoteAuditor(log: try RemoteLog(url), key: pinned, mirror: try MirrorDirectory(mirror))
            if let genesis {
                guard let d = SHA256Digest(hex: genesis) else { throw ValidationError("--genesis must be 64 lower-case hex digits") }
                auditor.genesis = d
            }
            auditor.witnesses = try witnesses.cosignerKeys()
            auditor.quorum = witnesses.quorum ?? auditor.witnesses.count
            let bar = SendableProgress(ProgressBar("auditing"))
            let runner = auditor
            let report = try WitnessRequests.blocking { try await runner.run { bar.bar.update(done: $0, total: $1) } }
            bar.bar.finish()
            let new = report.checkpointSize - report.previousSize
            if output.json {
                Terminal.printJSON([
                    "ok": true, "origin": .string(report.origin), "treeSize": .number(Double(report.checkpointSize)),
                    "rootHash": .string(report.rootHash.hex), "newEntries": .number(Double(new)),
                    "requests": .number(Double(report.requests)), "bytes": .number(Double(report.bytes)),
                    "cosigners": .array(report.cosigners.map { .string($0) }), "mirror": .string(mirror),
                ])
            } else if new == 0 {
                print("OK: \(report.origin) is still at checkpoint \(report.checkpointSize), as verified before (\(report.requests) request)")
            } else {
                let witnessed = report.cosigners.isEmpty ? "" : ", cosigned by \(report.cosigners.joined(separator: ", "))"
                print("OK: \(report.origin) checkpoint \(report.checkpointSize)\(witnessed): \(new) new entries verified (\(report.requests) requests, \(report.bytes) bytes); mirror \(mirror)")
            }
        }
    }
}

/// The progress bar, updated from the audit's task while the command's thread waits for it.
final class SendableProgress: @unchecked Sendable {
    let bar: ProgressBar
    init(_ bar: ProgressBar) { self.bar = bar }
}
