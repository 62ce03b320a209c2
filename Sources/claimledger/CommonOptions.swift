import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerStorage
import Glibc
import LedgerCrypto

struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger directory.", valueName: "dir"))
    var ledger: String = "ledger"

    func open() throws -> LedgerStore { try LedgerStore.open(ledger) }
}

struct SigningOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The signing key: an Ed25519 PKCS#8 PEM file with mode 0600 (default: $CLAIMLEDGER_KEY).", valueName: "file"))
    var key: String?

    func load() throws -> Ed25519PrivateKey {
        guard let path = key ?? Environment.value("CLAIMLEDGER_KEY"), !path.isEmpty else {
            throw ValidationError("no signing key: pass --key FILE or set CLAIMLEDGER_KEY")
        }
        return try KeyFiles.loadPrivateKey(path)
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (RFC 8785 canonical form) for scripts.")
    var json = false
}

enum Environment {
    static func value(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }
}

enum Clock {
    /// Now, or $CLAIMLEDGER_TIME (RFC 3339 UTC) to rebuild a ledger byte for byte.
    static func now() throws -> Timestamp {
        if let fixed = Environment.value("CLAIMLEDGER_TIME") {
            guard let t = Timestamp(rfc3339: fixed) else {
                throw ValidationError("CLAIMLEDGER_TIME must be YYYY-MM-DDTHH:MM:SSZ, found \"\(fixed)\"")
            }
            return t
        }
        return Timestamp(secondsSinceEpoch: Int64(time(nil)))
    }
}

func parseDate(_ text: String, option: String) throws -> CalendarDate {
    guard let d = CalendarDate(text) else { throw ValidationError("\(option) must be a date YYYY-MM-DD, found \"\(text)\"") }
    return d
}

func parseStatus(_ text: String) throws -> ClaimStatus {
    guard let s = ClaimStatus(rawValue: text) else {
        throw ValidationError("unknown status \"\(text)\": use one of \(ClaimStatus.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return s
}
