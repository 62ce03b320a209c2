import ArgumentParser
import ClaimLedgerCore
import ClaimLedgerRemote
import ClaimLedgerStorage
import ClaimLedgerTiles
import Glibc

/// Exit codes (README "Exit codes"): scripts rely on them.
enum Exit {
    static let verificationFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let environment: Int32 = 3
    static let tornLedger: Int32 = 4
}

@main
struct ClaimLedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claimledger",
        abstract: "A signed, hash-chained ledger of news claims, their sources and their dispute status.",
        discussion: """
            Exit status: 0 success; 1 the ledger does not verify; 2 bad input or usage; \
            3 missing ledger, key or file, or an I/O error; 4 the ledger's last line is torn (run `claimledger recover`).
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, KeyCommand.self, SourceCommand.self, ClaimCommand.self, ImportCommand.self,
            VerifyCommand.self, ExportCommand.self, RecoverCommand.self, CheckpointCommand.self, ProveCommand.self,
            CheckCommand.self, ScaleCommand.self, TilesCommand.self, ServeCommand.self, SiteCommand.self, UserCommand.self,
            WitnessCommand.self, RemoteAuditCommand.self,
        ]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let exitCode = Self.exitCode(for: error)
            if exitCode == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let first = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            Terminal.error("\(first) (see `claimledger help`)")
            Glibc.exit(Exit.badInput)
        }
    }
}

/// Runs a command body, turning every failure into one line on stderr and a documented exit code.
func runReporting(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as LedgerError {
        Terminal.error(e.description)
        switch e.code {
        case .invalidInput, .limitExceeded, .quoteNotFound, .quoteAmbiguous, .unknownClaim, .unknownSource,
             .duplicateID, .empty, .invalidPayload, .invalidKey, .misleadingText, .duplicateKeyName, .unknownProposal, .selfApproval,
             .unknownLabel, .claimRetracted, .sameSigner, .staleReview, .unknownEntry, .linkCycle:
            throw ExitCode(Exit.badInput)
        case .tornLine:
            throw ExitCode(Exit.tornLedger)
        default:
            throw ExitCode(Exit.verificationFailed)
        }
    } catch let e as StoreError {
        Terminal.error(e.reason)
        switch e.code {
        case .tornLedger: throw ExitCode(Exit.tornLedger)
        case .invalidLedger: throw ExitCode(Exit.verificationFailed)
        case .unsafePath, .fileTooLarge, .exists, .ledgerExists: throw ExitCode(Exit.badInput)
        default: throw ExitCode(Exit.environment)
        }
    } catch let e as TilesError {
        Terminal.error(e.description)
        switch e.code {
        case .noCheckpoint: throw ExitCode(Exit.environment)
        case .publishedDiffers, .treeMismatch: throw ExitCode(Exit.verificationFailed)
        case .otherLog, .recordTooLarge, .malformedTile: throw ExitCode(Exit.badInput)
        }
    } catch let e as ValidationError {
        Terminal.error(e.message)
        throw ExitCode(Exit.badInput)
    } catch let e as RemoteError {
        Terminal.error(e.description)
        throw ExitCode(Exit.environment)
    }
}
