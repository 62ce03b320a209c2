import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry: form, hashes, chain, signatures, signer authority, time, sources and quotes.",
        discussion: "Exits 0 only when all holds; otherwise names the first failing entry's seq and the reason.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let store = try ledger.open()
            let bar = ProgressBar("verifying")
            let report = try store.verify { bar.update(done: $0, total: $1) }
            bar.finish()
            if output.json {
                var o: [String: JSONValue] = ["ok": .bool(report.ok), "entries": .number(Double(report.entries)),
                                              "head": .string(report.head.hex)]
                if let f = report.failure {
                    o["seq"] = f.seq.map { .number(Double($0)) } ?? .null
                    o["reason"] = .string(f.reason)
                    o["code"] = .string(f.code.rawValue)
                }
                Terminal.printJSON(.object(o))
            } else if let f = report.failure {
                Terminal.error("verification failed at \(f.description)")
            } else {
                print("OK: \(report.entries) entries verify; head \(report.head.hex)")
            }
            if let f = report.failure {
                throw ExitCode(f.code == .tornLine ? Exit.tornLedger : Exit.verificationFailed)
            }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the claims of a verified ledger as JSON (refused when verification fails).")

    @Option(help: ArgumentHelp("Only claims whose current status is this.", valueName: "status")) var status: String?
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var out: String?
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        try runReporting {
            let filter = try status.map(parseStatus)
            let state = try ledger.open().verifiedState()
            let document = ClaimDocuments.export(state, status: filter)
            let bytes = try JCS.canonicalize(document) + [0x0A]
            if let out {
                try OutputFiles.write(bytes, to: out)
            } else {
                print(String(decoding: bytes.dropLast(), as: UTF8.self))
            }
        }
    }
}
