import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Archive a source in the ledger, or list the archived sources.",
        subcommands: [Add.self, List.self, ProvenanceCommand.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive FILE in the ledger (content-addressed) and record its metadata; prints the source id.")
        @Argument(help: ArgumentHelp("The source's bytes (an archived copy of the article, page, document).", valueName: "file"))
        var file: String
        @Option(help: "Its title.") var title: String
        @Option(help: "Who published it (e.g. AFP).") var publisher: String
        @Option(help: "Where it was published (an absolute URI).") var url: String
        @Option(help: ArgumentHelp("Publication date.", valueName: "yyyy-mm-dd")) var published: String
        @Option(help: ArgumentHelp("Its language (BCP 47 tag, e.g. fr).", valueName: "tag")) var language: String
        @Option(help: ArgumentHelp("Its media type (default: from the file's extension).", valueName: "type")) var mediaType: String?
        @OptionGroup(title: "Provenance (optional; --copy and --kind when any is given)") var provenance: ProvenanceOptions
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let metadata = SourceMetadata(title: title, publisher: publisher, url: url,
                                              published: try parseDate(published, option: "--published"),
                                              language: language, mediaType: mediaType,
                                              provenance: provenance.isEmpty ? nil : try provenance.draft())
                let store = try ledger.open()
                let bytes = try InputFiles.read(file, limit: LedgerLimits.maxSourceBytes, what: "source file")
                let draft = metadata.draft(bytes: bytes, defaultMediaType: InputFiles.mediaType(forPath: file))
                let (entries, _) = try store.append([.source(draft, ref: nil)], key: try signing.load(), time: try Clock.now())
                report(entries, id: draft.payload.id, json: output.json)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the archived sources.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let state = try ledger.open().queries().state
                let records = state.sourceOrder.compactMap { state.sources[$0] }
                if output.json { Terminal.printJSON(.array(records.map(ClaimDocuments.source))); return }
                for r in records {
                    print("\(r.payload.id)  \(r.payload.published)  \(r.payload.publisher)  \(r.payload.title)")
                    if let p = r.provenance { print("    provenance  \(describe(p, entry: r.provenanceEntry))") }
                }
            }
        }
    }
}

/// One line for a source's current provenance (FORMAT.md 5.10), for `source list` and `claim show`.
func describe(_ p: Provenance, entry: EntryRef?) -> String {
    var parts = ["\(p.kind.rawValue), \(p.copy.rawValue) copy"]
    parts.append(p.retrievedAt.map { "retrieved \($0)" } ?? "retrieval time not known")
    if let from = p.retrievedFrom { parts.append("from \(from)") }
    switch p.republishes {
    case .source(let d)?: parts.append("republishes source \(d.hex.prefix(16))")
    case .url(let url, let publisher)?: parts.append("republishes \(url) (\(publisher))")
    case nil: break
    }
    if let entry { parts.append("entry \(entry.seq)") }
    return parts.joined(separator: "; ")
}
