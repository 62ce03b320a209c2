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
            let drafts = try InputFiles.importDrafts(file)
            let (entries, state) = try store.append(drafts, key: key, time: try Clock.now())
            let counts = EntryType.allCases.map { t in (t, entries.filter { $0.entry.type == t }.count) }.filter { $0.1 > 0 }
            if output.json {
                Terminal.printJSON(["entries": .number(Double(entries.count)), "treeSize": .number(Double(state.size)),
                                    "head": .string(state.head.hex),
                                    "types": .object(Dictionary(uniqueKeysWithValues: counts.map { ($0.0.rawValue, .number(Double($0.1))) }))])
            } else {
                let summary = counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
                print("Imported \(entries.count) entries (\(summary)); the ledger now has \(state.size).")
            }
        }
    }
}
