import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage

struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Define and list the verdict scale (signed by a root key).", subcommands: [Add.self, List.self])

    /// The reference tool's default scale (FORMAT.md 5.6).
    static let defaultLabels: [ScaleLabel] = [
        ("accurate", "Accurate", 5, "The claim is correct and nothing significant is missing."),
        ("mostly-accurate", "Mostly accurate", 4, "The claim is correct but needs clarification or additional information."),
        ("partly-accurate", "Partly accurate", 3, "The claim is partly correct and partly wrong."),
        ("misleading", "Misleading", 2, "The claim contains accurate elements but gives a wrong impression."),
        ("needs-context", "Needs context", 3, "The claim is correct as worded but misleads without context."),
        ("false", "False", 1, "The claim is wrong."),
        ("unproven", "Unproven", 3, "The evidence does not settle the claim either way."),
    ].map { ScaleLabel(label: $0.0, description: $0.3, rating: ReviewRating(alternateName: $0.1, ratingValue: $0.2, bestRating: 5, worstRating: 1)) }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define or revise verdict labels: a JSON file {labels: [...], reason?} as the scale payload, or --default.")
        @Argument(help: ArgumentHelp("The scale payload file.", valueName: "file")) var file: String?
        @Flag(help: "The default scale (accurate ... unproven).") var `default` = false
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (file == nil) == !`default` { throw ValidationError("give a FILE or --default") }
        }

        func run() throws {
            try runReporting {
                let payload: Payload
                if let file {
                    let bytes = try InputFiles.read(file, limit: LedgerLimits.maxLineBytes, what: "scale file")
                    let json: JSONValue
                    do { json = try JSONParser.parse(bytes, limits: LedgerLimits.importJSON) } catch {
                        throw LedgerError(.invalidInput, "\(file) is not JSON: \(error)")
                    }
                    payload = try Payload(type: .scale, json: json)
                } else {
                    payload = .scale(ScalePayload(labels: ScaleCommand.defaultLabels))
                }
                try appendEditorial(.payload(payload), id: "scale", ledger: ledger, signing: signing, output: output)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the verdict labels with their current meaning.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let state = try ledger.open().queries().state
                if output.json { Terminal.printJSON(ClaimDocuments.scale(in: state)); return }
                for label in state.scaleOrder {
                    guard let d = state.scale[label] else { continue }
                    let r = d.label.rating
                    let revised = d.earlier.isEmpty ? "" : "  (revised at entry \(d.entry.seq))"
                    print("\(label.padding(16))  \(r.ratingValue)/\(r.bestRating)  \(r.alternateName)\(revised)")
                    print("                  \(d.label.description)")
                }
            }
        }
    }
}

/// The provenance of a source (FORMAT.md 5.10), for `source add` (optional) and `source provenance`.
struct ProvenanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("When the archived copy was retrieved: a time, or a date when the time is not known (omit when not known).",
                               valueName: "yyyy-mm-dd[Thh:mm:ssZ]"))
    var retrievedAt: String?
    @Option(help: "full or excerpt.") var copy: String?
    @Option(help: "official-statement, official-record, wire-copy, news-report, social-media-post, press-release, transcript or other.")
    var kind: String?
    @Option(help: ArgumentHelp("Where the bytes were fetched, when not the source's URL.", valueName: "uri")) var retrievedFrom: String?
    @Option(help: ArgumentHelp("The origin it copies: a source id, or a URL (with --republishes-publisher).", valueName: "id|url"))
    var republishes: String?
    @Option(help: "The publisher of an origin that is not archived.") var republishesPublisher: String?

    var isEmpty: Bool {
        retrievedAt == nil && copy == nil && kind == nil && retrievedFrom == nil && republishes == nil && republishesPublisher == nil
    }

    /// The provenance; `--copy` and `--kind` are required.
    func draft() throws -> ProvenanceDraft {
        guard let copy, let kind else { throw ValidationError("provenance needs --copy and --kind") }
        if republishesPublisher != nil && republishes == nil { throw ValidationError("--republishes-publisher goes with --republishes URL") }
        let at = try retrievedAt.map { text in
            guard let t = RetrievalTime(text) else { throw ValidationError("--retrieved-at must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, found \"\(text)\"") }
            return t
        }
        return ProvenanceDraft(retrievedAt: at, copy: try parseEnum(copy, Provenance.Copy.self, option: "--copy"),
                               kind: try parseEnum(kind, Provenance.Kind.self, option: "--kind"), retrievedFrom: retrievedFrom,
                               republishes: republishes, publisher: republishesPublisher)
    }
}

extension SourceCommand {
    struct ProvenanceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "provenance", abstract: "Record where an archived source came from.")
        @Argument(help: ArgumentHelp("The source id (or a unique prefix).", valueName: "source-id")) var source: String
        @OptionGroup var provenance: ProvenanceOptions
        @Option(help: "Why (for a change).") var reason: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let draft = EditorialDraft.provenance(source: source, try provenance.draft(), reason: reason)
                try appendEditorial(.editorial(draft), id: source, ledger: ledger, signing: signing, output: output)
            }
        }
    }
}
