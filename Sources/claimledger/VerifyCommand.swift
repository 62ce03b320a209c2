import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import SignedNote

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry: form, hashes, chain, signatures, signer authority, time, sources and quotes.",
        discussion: """
            Exits 0 only when all holds; otherwise names the first failing entry's seq and the reason. \
            An auditor keeps a state file (--save-state) and later verifies only what was appended (--since).
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: ArgumentHelp(
        "A signed checkpoint the auditor trusts: verify also fails unless the ledger extends it (no rewritten or forked history, no rollback).",
        valueName: "file"))
    var checkpoint: String?
    @Option(parsing: .singleValue, help: ArgumentHelp("Note verifier key for --checkpoint (repeatable; default: the ledger's root keys).", valueName: "key"))
    var verifierKey: [String] = []
    /// With --checkpoint: the witnesses whose cosignatures it must carry.
    @OptionGroup var witnesses: WitnessPolicyOptions
    @Option(help: ArgumentHelp(
        "The hash of entry 0 the auditor pinned: verify also fails unless the ledger starts with that genesis entry (a whole substituted ledger is caught).",
        valueName: "hash"))
    var genesis: String?
    @Option(help: ArgumentHelp("Resume from an audit state saved by --save-state: check only the entries appended since.", valueName: "file"))
    var since: String?
    @Option(help: ArgumentHelp("After a successful verification, save the audit state here (may be the --since file).", valueName: "file"))
    var saveState: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard witnesses.keys.isEmpty || checkpoint != nil else { throw ValidationError("--witness-key applies to --checkpoint FILE: name the checkpoint the witnesses cosigned") }
    }

    func run() throws {
        try runReporting {
            let pinned = try genesis.map { text in
                guard let d = SHA256Digest(hex: text) else { throw ValidationError("--genesis must be 64 lower-case hex digits (the hash of entry 0)") }
                return d
            }
            let store = try ledger.open()
            let resume = try since.map(AuditState.read)
            // The checkpoint's size is read first (to take the root at that size on the way); its
            // signature is checked after verification, with the verified ledger's root keys.
            let claimed = try checkpoint.map { try CheckpointFile.unverifiedSize($0) }
            let bar = ProgressBar("verifying")
            var outcome = try store.verify(resume: resume, rootAt: claimed, keepingStatusHashes: saveState != nil) {
                bar.update(done: $0, total: $1)
            }
            bar.finish()
            var report = outcome.report
            if let pinned { report = try GenesisPin.check(pinned, report: report, state: outcome.state) }
            var trusted: Checkpoint?
            if let path = checkpoint, report.ok {
                let cp = try openCheckpoint(path, verifierKeys: verifierKey, state: outcome.state)
                try witnesses.check(checkpointAt: path)
                trusted = cp
                report = CheckpointAudit.compare(cp, report: report, root: outcome.rootAtRequestedSize,
                                                 resumedAt: resume?.state.size)
            }
            if report.ok, let saveState { try outcome.saveAuditState(to: saveState) }
            let checked = report.entries - (resume?.state.size ?? 0)
            if output.json {
                VerifyOutput.printJSON(report, checked: checked, rootHash: report.ok ? outcome.state.rootHash : nil, checkpoint: trusted)
            } else {
                VerifyOutput.printWarnings(report)
                if let f = report.failure {
                    Terminal.error("verification failed at \(f.description)")
                } else {
                    let extends = trusted.map { "; extends the checkpoint of \($0.treeSize) entries" } ?? ""
                    let resumed = resume.map { " (\(checked) new since the audit state of \($0.state.size))" } ?? ""
                    let pin = pinned == nil ? "" : "; starts with the pinned genesis entry"
                    print("OK: \(report.entries) entries verify\(resumed); head \(report.head.hex)\(pin)\(extends)")
                }
            }
            if let f = report.failure {
                throw ExitCode(f.code == .tornLine ? Exit.tornLedger : Exit.verificationFailed)
            }
        }
    }
}

/// How a verified ledger stands against a trusted checkpoint (RFC 9162 section 2.1.4: a log is
/// append-only when each checkpointed tree is a prefix of the current one).
enum CheckpointAudit {
    static func compare(_ cp: Checkpoint, report: VerificationReport, root: SHA256Digest?, resumedAt: Int?) -> VerificationReport {
        let size = Int(cp.treeSize)
        func failing(_ e: LedgerError) -> VerificationReport { report.failing(e) }
        if size > report.entries {
            return failing(LedgerError(.rollback, seq: report.entries,
                                       "rollback: the checkpoint covers \(size) entries but the ledger has only \(report.entries)"))
        }
        guard let root else {
            return failing(LedgerError(.invalidInput, seq: size,
                                       "the checkpoint's size \(size) is before the audit state's \(resumedAt ?? 0): use a later checkpoint or verify in full"))
        }
        guard root == cp.rootHash else {
            return failing(LedgerError(.historyRewritten, seq: size == 0 ? 0 : size - 1,
                                       "rewritten or forked history: the first \(size) entries have root \(root.hex), the checkpoint says \(cp.rootHash.hex)"))
        }
        return report
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the claims of a verified ledger as JSON (refused when verification fails).",
        discussion: """
            --format claimreview writes schema.org ClaimReview JSON-LD (a JSON array) for each claim whose current \
            verdict an editor approved; it needs --publisher, and without --base-url the documents have no url \
            (docs/AUDIT.md "Publishing as ClaimReview").
            """)

    @Option(help: ArgumentHelp("Only claims whose current status is this.", valueName: "status")) var status: String?
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var out: String?
    @Flag(help: "Only claims whose current verdict an editor approved (FORMAT.md 5.11).") var reviewed = false
    @Option(help: ArgumentHelp("json (the export document, FORMAT.md 11) or claimreview (schema.org ClaimReview JSON-LD).",
                               valueName: "format"))
    var format = "json"
    /// With --format claimreview: who publishes the fact checks.
    @OptionGroup var publishing: PublisherOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        try runReporting {
            let filter = try status.map(parseStatus)
            let claimReview = try claimReviewOptions()
            let bar = ProgressBar("verifying")
            let verified = try ledger.open().verifiedLedger(progress: { bar.update(done: $0, total: $1) })
            bar.finish()
            let output = try OutputStreamFile(path: out)
            if let claimReview {
                try verified.writeClaimReviewExport(status: filter, options: claimReview, to: output)
            } else {
                let rendering = ProgressBar("exporting")
                defer { rendering.finish() }
                try verified.writeExport(status: filter, reviewedOnly: reviewed, to: output) { rendering.update(done: $0, total: $1) }
                rendering.finish()
            }
            try output.finish()
        }
    }

    /// The ClaimReview options with --format claimreview, nil with --format json; bad options are refused.
    private func claimReviewOptions() throws -> ClaimReviewOptions? {
        switch format {
        case "json":
            guard publishing.isEmpty else {
                throw ValidationError("--publisher, --publisher-url and --base-url apply only to --format claimreview")
            }
            return nil
        case "claimreview":
            guard publishing.publisher != nil, let options = try publishing.claimReview() else {
                throw ValidationError("--format claimreview needs --publisher NAME: the newsroom that publishes the fact checks (the ledger does not record it)")
            }
            return options
        default:
            throw ValidationError("unknown --format \"\(format)\": use json or claimreview")
        }
    }
}
