import ArgumentParser
import CanonicalJSON
import ClaimLedgerStorage
import ClaimLedgerTiles

struct TilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiles",
        abstract: "Write the verified ledger as C2SP tlog-tiles, with signature bundles, as of its latest stored checkpoint.",
        discussion: """
            Writes tile/<L>/<N>, tile/entries/<N>, tile/signatures/<N> (and their .p/<W> partial forms) for the \
            entries the latest checkpoints/<N> covers, then that checkpoint, verbatim, as checkpoint (FORMAT.md 16). \
            Run it again after each checkpoint: published files are compared, never rewritten. Serve DIR with any \
            static web server.
            """)

    @Option(help: ArgumentHelp("The directory to publish into (created if missing).", valueName: "dir")) var out: String
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let store = try ledger.open()
            let verifying = ProgressBar("verifying")
            let verified = try store.verifiedLedger(progress: { verifying.update(done: $0, total: $1) })
            verifying.finish()
            let writing = ProgressBar("writing tiles")
            defer { writing.finish() }
            let summary = try TileWriter(directory: out).publish(verified, checkpoints: CheckpointFiles(ledgerDirectory: store.directory)) {
                writing.update(done: $0, total: $1)
            }
            writing.finish()
            let sources = try TileSources.publish(verified.state, treeSize: summary.treeSize, archive: store.archive, to: out)
            let pending = verified.state.size - summary.treeSize
            if output.json {
                var json: [String: JSONValue] = [
                    "out": .string(out), "entries": .number(Double(summary.treeSize)), "ledgerEntries": .number(Double(verified.state.size)),
                    "rootHash": .string(summary.rootHash.hex), "tilesWritten": .number(Double(summary.written)),
                    "tilesUnchanged": .number(Double(summary.unchanged)), "bytesWritten": .number(Double(summary.bytesWritten)),
                    "checkpointWritten": .bool(summary.checkpointWritten), "sourcesWritten": .number(Double(sources)),
                ]
                if let (seq, bytes) = summary.largestEntry {
                    json["largestEntry"] = ["seq": .number(Double(seq)), "canonicalBytes": .number(Double(bytes))]
                }
                Terminal.printJSON(.object(json))
            } else {
                print("\(summary.written) tile files written (\(summary.bytesWritten) bytes), \(summary.unchanged) unchanged, \(sources) sources written: \(summary.treeSize) entries as of checkpoint \(summary.treeSize)\(summary.checkpointWritten ? "" : " (already published)"), in \(out)")
            }
            if pending > 0 {
                Terminal.note("note: the \(pending) entries after checkpoint \(summary.treeSize) are published with the next checkpoint (`claimledger checkpoint --key ROOTKEY`, then `claimledger tiles`)")
            }
        }
    }
}
