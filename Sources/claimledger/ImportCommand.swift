import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record many sources, claims and statuses from a JSON Lines file, as one all-or-nothing batch.",
        discussion: "The format is in docs/FORMAT.md (\"Import files\") and schemas/import-line.schema.json.")

    @Argument(help: ArgumentHelp("The import file (JSON Lines).", valueName: "file")) var file: String
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let store = try ledger.open()
            let key = try signing.load()
            let checking = ProgressBar("checking"), writing = ProgressBar("writing")
            defer {
                checking.finish()
                writing.finish()
            }
            let summary = try store.importFile(file, key: key, time: try Clock.now()) { phase, done, total in
                switch phase {
                case .checking: checking.update(done: done, total: total)
                case .writing:
                    checking.finish()
                    writing.update(done: done, total: total)
                }
            }
            writing.finish()
            let counts = EntryType.allCases.compactMap { t in summary.types[t].map { (t, $0) } }
            if output.json {
                Terminal.printJSON(["entries": .number(Double(summary.entries)), "treeSize": .number(Double(summary.size)),
                                    "head": .string(summary.head.hex),
                                    "types": .object(Dictionary(uniqueKeysWithValues: counts.map { ($0.0.rawValue, .number(Double($0.1))) }))])
            } else {
                let summaryText = counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
                print("Imported \(summary.entries) entries (\(summaryText)); the ledger now has \(summary.size).")
            }
        }
    }
}
