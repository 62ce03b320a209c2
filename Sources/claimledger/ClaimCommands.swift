import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage

struct ClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim",
        abstract: "Record claims and their status changes; list and show them.",
        subcommands: [Add.self, Status.self, List.self, Show.self, Position.self, Link.self, Correct.self, Retract.self, Review.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a claim quoted in an archived source; prints the claim id.",
            discussion: "The quote must occur byte for byte in the source; where it occurs more than once, --offset picks one.")
        @Option(help: ArgumentHelp("The source id (or a unique prefix of 8+ hex digits).", valueName: "source-id")) var source: String
        @Option(help: "The exact quoted text, as it stands in the source.") var quote: String
        @Option(help: ArgumentHelp("Byte offset of the quote in the source, when it occurs more than once.", valueName: "n"))
        var offset: Int?
        @Option(help: "The claim, as a statement.") var statement: String
        @Option(help: ArgumentHelp("The statement's language (BCP 47).", valueName: "tag")) var lang: String = "en"
        @Option(help: "Who makes the claim (a person, a government, an agency).") var claimant: String
        @Option(help: ArgumentHelp("When the claim was made (default: the source's publication date).", valueName: "yyyy-mm-dd"))
        var date: String?
        @Option(help: ArgumentHelp("A stable id (default: derived from the claim).", valueName: "id")) var id: String?
        @Option(help: "attribution (someone said it) or substance (what is so).") var kind: String?
        @Option(help: ArgumentHelp("A first status (with --rationale).", valueName: "status")) var status: String?
        @Option(help: "Why the claim has that status.") var rationale: String?
        @Option(parsing: .singleValue, help: ArgumentHelp("A source the status rests on (repeatable).", valueName: "source-id"))
        var evidence: [String] = []
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (status == nil) != (rationale == nil) { throw ValidationError("--status and --rationale go together") }
            if status == nil && !evidence.isEmpty { throw ValidationError("--evidence goes with --status") }
        }

        func run() throws {
            try runReporting {
                let first = try status.map { StatusDraft(claim: id ?? "", status: try parseStatus($0), rationale: rationale ?? "", evidence: evidence) }
                let draft = ClaimDraft(id: id, statement: statement, language: lang, claimant: claimant,
                                       date: try date.map { try parseDate($0, option: "--date") },
                                       quotes: [QuoteDraft(source: source, text: quote, offset: offset)], status: first)
                var withKind = draft
                withKind.kind = try kind.map { try parseEnum($0, ClaimKind.self, option: "--kind") }
                let store = try ledger.open()
                let (entries, _) = try store.append([.claim(withKind)], key: try signing.load(), time: try Clock.now())
                guard case .claim(let c) = entries[0].entry.payload else { return }
                report(entries, id: c.id, json: output.json)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a new status of a claim (history is kept; the latest status is current).")
        @Argument(help: ArgumentHelp("The claim id.", valueName: "claim-id")) var claim: String
        @Argument(help: ArgumentHelp("unverified, corroborated, disputed, refuted or unverifiable.", valueName: "status"))
        var status: String
        @Option(help: "Why the claim now has this status.") var rationale: String
        @Option(parsing: .singleValue, help: ArgumentHelp("A source the status rests on (repeatable).", valueName: "source-id"))
        var evidence: [String] = []
        @Option(help: ArgumentHelp("A verdict label of the ledger's scale (needs --span).", valueName: "label")) var verdict: String?
        @Option(parsing: .singleValue, help: ArgumentHelp("An evidence span, SOURCE:TEXT[@OFFSET] (repeatable).", valueName: "span"))
        var span: [String] = []
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signing: SigningOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                var draft = StatusDraft(claim: claim, status: try parseStatus(status), rationale: rationale, evidence: evidence)
                draft.verdict = verdict
                draft.spans = try span.map(parseSpan)
                let store = try ledger.open()
                let (entries, _) = try store.append([.status(draft)], key: try signing.load(), time: try Clock.now())
                report(entries, id: claim, json: output.json)
            }
        }
    }
}
