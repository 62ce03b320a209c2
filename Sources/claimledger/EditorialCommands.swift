import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage

/// Appends one editorial draft signed with the command's key and reports it.
func appendEditorial(_ draft: Draft, id: String, ledger: LedgerOptions, signing: SigningOptions, output: OutputOptions) throws {
    try runReporting {
        let (entries, _) = try ledger.open().append([draft], key: try signing.load(), time: try Clock.now())
        report(entries, id: id, json: output.json)
    }
}

func parseEnum<E: RawRepresentable & CaseIterable>(_ text: String, _: E.Type, option: String) throws -> E where E.RawValue == String {
    guard let v = E(rawValue: text) else {
        throw ValidationError("\(option) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\"")
    }
    return v
}

/// `SOURCE:TEXT[@OFFSET]`: a quote of an archived source, for `--span`.
func parseSpan(_ text: String) throws -> QuoteDraft {
    guard let colon = text.firstIndex(of: ":") else { throw ValidationError("--span must be SOURCE:TEXT[@OFFSET], found \"\(text)\"") }
    var quote = String(text[text.index(after: colon)...])
    var offset: Int?
    if let at = quote.lastIndex(of: "@"), let n = Int(quote[quote.index(after: at)...]) {
        offset = n
        quote = String(quote[..<at])
    }
    return QuoteDraft(source: String(text[..<colon]), text: quote, offset: offset)
}

extension ClaimCommand {
    struct Position: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a party's position on a claim, quoted in an archived source.")
        @Argument(help: ArgumentHelp("The claim id.", valueName: "claim-id")) var claim: String
        @Option(help: "Who takes the position.") var party: String
        @Option(help: "person, government, organisation, publication or other.") var partyKind: String
        @Option(help: "asserts, denies, disputes, concedes or qualifies.") var stance: String
        @Option(help: ArgumentHelp("The source id where the party takes it.", valueName: "source-id")) var source: String
        @Option(help: "The exact quoted text.") var quote: String
        @Option(help: ArgumentHelp("Byte offset of the quote, when it occurs more than once.", valueName: "n")) var offset: Int?
        @Option(help: ArgumentHelp("When (default: today).", valueName: "yyyy-mm-dd")) var date: String?
        @Option(parsing: .singleValue, help: ArgumentHelp("A source supporting it (repeatable).", valueName: "source-id"))
        var evidence: [String] = []
        @Option(help: "A note.") var note: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let when = try date.map { try parseDate($0, option: "--date") } ?? Clock.now().date
                let draft = EditorialDraft.position(
                    claim: claim, party: Party(name: party, kind: try parseEnum(partyKind, Party.Kind.self, option: "--party-kind")),
                    stance: try parseEnum(stance, Stance.self, option: "--stance"), date: when,
                    quotes: [QuoteDraft(source: source, text: quote, offset: offset)], evidence: evidence, note: note)
                try appendEditorial(.editorial(draft), id: claim, ledger: ledger, signing: signing, output: output)
            }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Link two claims: FROM reports|counters|part-of|same-as|supersedes|context-for TO.")
        @Argument(help: ArgumentHelp("The claim the link starts from.", valueName: "from")) var from: String
        @Argument(help: ArgumentHelp("The relation.", valueName: "relation")) var relation: String
        @Argument(help: ArgumentHelp("The claim it points to.", valueName: "to")) var to: String
        @Option(help: "A note.") var note: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let link = LinkPayload(from: from, relation: try parseEnum(relation, LinkRelation.self, option: "relation"), to: to, note: note)
                try appendEditorial(.payload(.link(link)), id: from, ledger: ledger, signing: signing, output: output)
            }
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a claim's statement, claimant, date, quote or kind (its recording desk or an editor).")
        @Argument(help: ArgumentHelp("The claim id.", valueName: "claim-id")) var claim: String
        @Option(help: "Why.") var reason: String
        @Option(help: "The corrected statement.") var statement: String?
        @Option(help: ArgumentHelp("The corrected statement's language.", valueName: "tag")) var lang: String?
        @Option(help: "The corrected claimant.") var claimant: String?
        @Option(help: ArgumentHelp("The corrected date.", valueName: "yyyy-mm-dd")) var date: String?
        @Option(help: ArgumentHelp("The source of a corrected quote.", valueName: "source-id")) var source: String?
        @Option(help: "The corrected quote (with --source).") var quote: String?
        @Option(help: ArgumentHelp("Byte offset of the quote.", valueName: "n")) var offset: Int?
        @Option(help: "attribution or substance.") var kind: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (source == nil) != (quote == nil) { throw ValidationError("--source and --quote go together") }
            if statement == nil && claimant == nil && date == nil && quote == nil && kind == nil {
                throw ValidationError("give at least one of --statement, --claimant, --date, --quote, --kind")
            }
        }

        func run() throws {
            try runReporting {
                let changes = ClaimChanges(statement: statement, statementLanguage: statement == nil ? nil : (lang ?? "en"), claimant: claimant,
                                           date: try date.map { try parseDate($0, option: "--date") },
                                           kind: try kind.map { try parseEnum($0, ClaimKind.self, option: "--kind") })
                let quotes = quote.map { [QuoteDraft(source: source ?? "", text: $0, offset: offset)] } ?? []
                try appendEditorial(.editorial(.correct(claim: claim, reason: reason, changes: changes, quotes: quotes)), id: claim,
                                    ledger: ledger, signing: signing, output: output)
            }
        }
    }

    struct Retract: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retract a claim, with a reason (final; its history stays visible).")
        @Argument(help: ArgumentHelp("The claim id.", valueName: "claim-id")) var claim: String
        @Option(help: "Why.") var reason: String
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try appendEditorial(.payload(.amend(AmendPayload(claim: claim, action: .retract, reason: reason))), id: claim,
                                ledger: ledger, signing: signing, output: output)
        }
    }

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An editor approves or returns the claim's latest status entry.")
        @Argument(help: ArgumentHelp("The claim id.", valueName: "claim-id")) var claim: String
        @Argument(help: ArgumentHelp("approve or return.", valueName: "decision")) var decision: String
        @Option(help: "A note (required with return).") var note: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let d = try parseEnum(decision, ReviewPayload.Decision.self, option: "decision")
                if d == .return && note == nil { throw ValidationError("return needs --note") }
                try appendEditorial(.editorial(.review(claim: claim, decision: d, note: note)), id: claim,
                                    ledger: ledger, signing: signing, output: output)
            }
        }
    }
}
