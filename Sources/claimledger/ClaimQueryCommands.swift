import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage

extension ClaimCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List claims with their current status.")
        @Option(help: ArgumentHelp("Only claims whose current status is this.", valueName: "status")) var status: String?
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let filter = try status.map(parseStatus)
                let claims = try ledger.open().queries().claims(status: filter)
                if output.json {
                    Terminal.printJSON(.array(claims.map { c in
                        ["id": .string(c.id), "status": .string(c.status.rawValue), "claimant": .string(c.claimant),
                         "date": .string(c.date.description), "statement": .string(c.statement)]
                    }))
                    return
                }
                let idWidth = claims.map(\.id.count).max() ?? 0
                for c in claims {
                    print("\(c.id.padding(idWidth))  \(c.status.rawValue.padding(12))  \(c.claimant.truncated(28).padding(28))  \(c.statement.truncated(80))")
                }
                if Terminal.stderrIsTerminal { Terminal.note("\(claims.count) claim(s)") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a claim: its quotes, sources and full status history.")
        @Argument(help: ArgumentHelp("The claim id.", valueName: "claim-id")) var claim: String
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let queries = try ledger.open().queries()
                let state = queries.state
                guard let record = try queries.claim(claim) else {
                    throw LedgerError(.unknownClaim, "no claim \"\(claim)\" in this ledger (see `claimledger claim list`)")
                }
                if output.json { Terminal.printJSON(ClaimDocuments.claim(record, in: state)); return }
                let c = record.payload
                print("claim     \(c.id)  (entry \(record.entry.seq), \(record.entry.time))")
                print("statement \(c.statement) [\(c.statementLanguage)]")
                print("claimant  \(c.claimant), \(c.date)")
                print("status    \(record.status.rawValue)")
                for q in c.quotes {
                    let title = state.sources[q.source]?.payload.title ?? "?"
                    print("quote     «\(q.text)»")
                    print("          bytes \(q.start)..<\(q.end) of \(q.source.hex.prefix(16)) (\(title))")
                }
                print("history")
                if record.history.isEmpty { print("  (no status entry: unverified)") }
                for h in record.history {
                    let signer = state.keys[h.entry.signer]?.name ?? h.entry.signer.hex.prefix(16).description
                    print("  \(h.entry.time)  entry \(h.entry.seq)  \(h.payload.status.rawValue)  by \(signer)")
                    print("    \(h.payload.rationale)")
                    for e in h.payload.evidence { print("    evidence \(e.hex.prefix(16)) \(state.sources[e]?.payload.title ?? "")") }
                }
            }
        }
    }
}

extension String {
    func truncated(_ n: Int) -> String { count <= n ? self : String(prefix(n - 1)) + "…" }
}
