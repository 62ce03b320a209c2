import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a ledger: its genesis entry names the origin and the root key, and is signed by it.")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: ArgumentHelp("The ledger's origin (also its checkpoint name), e.g. newsroom.example/claims.", valueName: "name"))
    var origin: String
    @Option(help: ArgumentHelp("A name for the root key.", valueName: "name"))
    var name: String = "root"
    @OptionGroup var signing: SigningOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let key = try signing.load()
            let genesis = GenesisPayload(origin: origin, keys: [NamedKey(name: name, publicKey: key.publicKey)])
            let store = try LedgerStore.create(ledger.ledger, genesis: genesis, rootKey: key, time: try Clock.now())
            if output.json {
                Terminal.printJSON(["ledger": .string(store.directory), "origin": .string(origin),
                                    "rootKey": .string(key.publicKey.keyID.hex)])
            } else {
                print("Created ledger \(store.directory) for \(origin); root key \(key.publicKey.keyID.hex)")
            }
        }
    }
}

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Remove a torn last line or unfinished append, and temporary files of interrupted writes, saying what is removed.")

    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Only say what would be removed.") var dryRun = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let r = try ledger.open().recover(dryRun: dryRun)
            if output.json {
                Terminal.printJSON(["removedBytes": .number(Double(r.removedBytes)), "entries": .number(Double(r.keptEntries)),
                                    "unfinishedAppendBytes": .number(Double(r.unfinishedAppendBytes)), "dryRun": .bool(dryRun),
                                    "temporaryFiles": .array(r.temporaryFiles.map { .string($0) })])
                return
            }
            for path in r.temporaryFiles {
                print("\(dryRun ? "Would remove" : "Removed") \(path), left by an interrupted write.")
            }
            if r.unfinishedAppendBytes > 0 {
                print("Removed an unfinished append of \(r.unfinishedAppendBytes) bytes (its batch was never acknowledged).")
            }
            if r.removedBytes == 0 {
                print("Nothing to recover: the last line is complete (\(r.keptEntries) entries).")
            } else {
                print("\(dryRun ? "Would remove" : "Removed") a torn last line of \(r.removedBytes) bytes after entry \(r.keptEntries - 1): \"\(r.preview)\(r.removedBytes > 60 ? "…" : "")\"")
            }
        }
    }
}
