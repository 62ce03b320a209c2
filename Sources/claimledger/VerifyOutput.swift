import ArgumentParser
import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import SignedNote

/// `verify --genesis`: trust on first use made explicit (FORMAT.md 8.4). An auditor who pinned the hash
/// of a ledger's entry 0 detects a whole substituted ledger, which verifies on its own terms.
enum GenesisPin {
    static func check(_ pinned: SHA256Digest, report: VerificationReport, state: LedgerState) throws -> VerificationReport {
        guard report.entries > 0 else { return report }
        guard let actual = state.genesisHash else {
            throw LedgerError(.invalidInput, "the --since audit state does not record the genesis hash (it predates --genesis): verify once in full with --save-state")
        }
        guard actual != pinned else { return report }
        return report.failing(LedgerError(.genesisMismatch, seq: 0,
                                          "entry 0 has hash \(actual.hex), not the pinned \(pinned.hex): this is not the ledger you pinned (substituted or rebuilt from scratch)"))
    }
}

/// What `verify` prints: one JSON line (schemas/verify-report.schema.json), or warnings on stderr.
enum VerifyOutput {
    /// Warnings printed one per line without --json; the rest are counted.
    static let textWarnings = 20

    static func printWarnings(_ report: VerificationReport) {
        for w in report.warnings.prefix(textWarnings) { Terminal.note("claimledger: warning: \(w.description)") }
        if report.warningCount > min(textWarnings, report.warnings.count) {
            Terminal.note("claimledger: warning: \(report.warningCount - min(textWarnings, report.warnings.count)) more warnings (see verify --json)")
        }
    }

    static func printJSON(_ report: VerificationReport, checked: Int, rootHash: SHA256Digest?, checkpoint: Checkpoint?) {
        var o: [String: JSONValue] = ["ok": .bool(report.ok), "entries": .number(Double(report.entries)),
                                      "head": .string(report.head.hex), "checked": .number(Double(checked)),
                                      "warningCount": .number(Double(report.warningCount)),
                                      "warnings": .array(report.warnings.map(json))]
        if let rootHash { o["rootHash"] = .string(rootHash.hex) }
        if let cp = checkpoint { o["checkpoint"] = ["treeSize": .number(Double(cp.treeSize)), "rootHash": .string(cp.rootHash.hex)] }
        if let f = report.failure {
            o["seq"] = f.seq.map { .number(Double($0)) } ?? .null
            o["reason"] = .string(f.reason)
            o["code"] = .string(f.code.rawValue)
        }
        Terminal.printJSON(.object(o))
    }

    static func json(_ w: LedgerWarning) -> JSONValue {
        var o: [String: JSONValue] = ["seq": .number(Double(w.seq)), "code": .string(w.code.rawValue), "field": .string(w.field),
                                      "reason": .string(w.reason)]
        if let c = w.codePoint { o["codePoint"] = .string(MisleadingText.label(c)) }
        return .object(o)
    }
}
