import ArgumentParser
import ClaimLedgerServer
import Dispatch
import ClaimLedgerCore
import ClaimLedgerStorage
import Glibc
import Synchronization

/// `claimledger serve`: the newsroom app (issue 12) on this ledger.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ledger as a web app and JSON API (read-only without an accounts directory).",
        discussion: """
            Verifies the ledger, then prints `claimledger: serving LEDGER at http://HOST:PORT/` once listening. \
            SIGTERM or SIGINT shut it down gracefully: requests in flight complete first.
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: ArgumentHelp("The accounts directory (default: LEDGER.accounts when it exists; none: read-only).", valueName: "dir"))
    var accounts: String?
    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host")) var host = "127.0.0.1"
    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one).", valueName: "port")) var port = 8080
    /// With --publisher, claim pages with a reviewed verdict embed their schema.org ClaimReview.
    @OptionGroup var publishing: PublisherOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, found \(port)") }
    }

    func run() throws {
        try runReporting {
            var config = ServerConfig(ledger: ledger.ledger, accounts: accounts, host: host, port: port)
            config.claimReview = try publishing.claimReview()
            if config.accounts == nil {
                let beside = defaultAccountsDirectory(ledger.ledger)
                var st = stat()
                if stat(beside, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { config.accounts = beside }
            }
            let outcome = ServeOutcome()
            let done = DispatchSemaphore(value: 0)
            Task {
                do {
                    try await AppBuilder.serve(config) { line in
                        print(line)
                        fflush(nil)
                    }
                } catch {
                    outcome.set(error)
                }
                done.signal()
            }
            done.wait()
            if let error = outcome.error { throw error }
        }
    }

    /// `ledger/` -> `ledger.accounts/` (app-contract.md section 1), trailing slashes ignored.
    func defaultAccountsDirectory(_ ledger: String) -> String {
        var dir = ledger
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        return dir + ".accounts"
    }
}

/// The error the server stopped with, handed from its task to the command's thread: the ledger's and
/// the store's errors as they are (for their exit codes), anything else (a port in use) as a message.
final class ServeOutcome: Sendable {
    private enum Stopped { case ledger(LedgerError), store(StoreError), other(String) }
    private let stored = Mutex<Stopped?>(nil)

    var error: (any Error)? {
        switch stored.withLock({ $0 }) {
        case .ledger(let e)?: e
        case .store(let e)?: e
        case .other(let message)?: StoreError(.io, "the server stopped: \(message)")
        case nil: nil
        }
    }

    func set(_ e: any Error) {
        let stopped: Stopped = switch e {
        case let e as LedgerError: .ledger(e)
        case let e as StoreError: .store(e)
        default: .other(String(describing: e))
        }
        stored.withLock { $0 = stopped }
    }
}
