import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

extension ClaimCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List claims with their current status.")
        @Option(help: ArgumentHelp("Only claims whose current status is this.", valueName: "status")) var status: String?
        @Flag(help: "Also list retracted claims.") var retracted = false
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReporting {
                let filter = try status.map(parseStatus)
                let claims = try ledger.open().queries().claims(status: filter, includingRetracted: retracted)
                if output.json {
                    Terminal.printJSON(.array(claims.map { c in
                        ["id": .string(c.id), "status": .string(c.status.rawValue), "claimant": .string(c.claimant),
                         "date": .string(c.date.description), "statement": .string(c.statement),
                         "corrected": .bool(c.corrected), "retracted": .bool(c.retracted)]
                    }))
                    return
                }
                let idWidth = claims.map(\.id.count).max() ?? 0
                for c in claims {
                    let mark = c.retracted ? " [retracted]" : c.corrected ? " [corrected]" : ""
                    print("\(c.id.padding(idWidth))  \(c.status.rawValue.padding(12))  \(c.claimant.truncated(28).padding(28))  \(c.statement.truncated(80))\(mark)")
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
                let c = record.current
                let marks = (record.isRetracted ? "  RETRACTED" : "") + (record.isCorrected ? "  (corrected)" : "")
                print("claim     \(c.id)  (entry \(record.entry.seq), \(record.entry.time))\(marks)")
                print("statement \(c.statement) [\(c.statementLanguage)]")
                print("claimant  \(c.claimant), \(c.date)")
                print("status    \(record.status.rawValue)")
                for q in c.quotes {
                    let title = state.sources[q.source]?.payload.title ?? "?"
                    print("quote     «\(q.text)»")
                    print("          bytes \(q.start)..<\(q.end) of \(q.source.hex.prefix(16)) (\(title))")
                }
                if let kind = c.kind { print("kind      \(kind.rawValue)") }
                if let v = record.history.last?.payload.verdict { print("verdict   \(v)\(record.isReviewed ? "  (reviewed)" : "")") }
                printEditorial(record, state: state)
                print("history")
                if record.history.isEmpty { print("  (no status entry: unverified)") }
                for h in record.history {
                    let signer = state.keys[h.entry.signer]?.name ?? h.entry.signer.hex.prefix(16).description
                    print("  \(h.entry.time)  entry \(h.entry.seq)  \(h.payload.status.rawValue)  by \(signer)")
                    print("    \(h.payload.rationale)")
                    for e in h.payload.evidence { print("    evidence \(e.hex.prefix(16)) \(state.sources[e]?.payload.title ?? "")") }
                    for r in record.reviews where r.payload.status == h.entry.hash {
                        let editor = state.keys[r.entry.signer]?.name ?? r.entry.signer.hex.prefix(16).description
                        print("    review \(r.payload.decision.rawValue) by \(editor), entry \(r.entry.seq)\(r.payload.note.map { ": \($0)" } ?? "")")
                    }
                }
                printSources(record, state: state)
            }
        }
    }
}

/// The positions, links and amends of `claim show`.
func printEditorial(_ record: ClaimRecord, state: LedgerState) {
    for p in record.currentPositions {
        print("position  \(p.payload.party.name) (\(p.payload.party.kind.rawValue)) \(p.payload.stance.rawValue), \(p.payload.date)  entry \(p.entry.seq)")
    }
    for l in record.links { print("link      \(l.payload.relation.rawValue) \(l.payload.to)  entry \(l.entry.seq)") }
    for l in record.linkedFrom { print("linked    \(l.payload.from) \(l.payload.relation.rawValue) this  entry \(l.entry.seq)") }
    for a in record.amends {
        let action = switch a.payload.action {
        case .retract: "retracted"
        case .correct(let changes): changes.changesText ? "corrected" : "classified"
        }
        print("amend     \(action) at entry \(a.entry.seq): \(a.payload.reason)")
    }
}

/// The sources a claim's entries cite, with their current provenance (FORMAT.md 5.10).
func printSources(_ record: ClaimRecord, state: LedgerState) {
    var seen = Set<SHA256Digest>()
    let cited = ClaimDocuments.citedSources(record).filter { seen.insert($0).inserted }
    guard !cited.isEmpty else { return }
    print("sources")
    for id in cited {
        guard let s = state.sources[id] else { continue }
        print("  \(id.hex.prefix(16))  \(s.payload.publisher)  \(s.payload.title)  \(s.payload.url)")
        print("    provenance \(s.provenance.map { describe($0, entry: s.provenanceEntry) } ?? "not recorded")")
    }
}

extension String {
    func truncated(_ n: Int) -> String { count <= n ? self : String(prefix(n - 1)) + "…" }
}
