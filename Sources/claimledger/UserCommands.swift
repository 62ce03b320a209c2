import ArgumentParser
import CanonicalJSON
import ClaimLedgerAccounts
import ClaimLedgerCore
import ClaimLedgerStorage
import Glibc
import LedgerCrypto

/// `claimledger user ...`: the newsroom app's accounts, kept beside the ledger (docs/NEWSROOM.md
/// "Accounts and keys"). Thin commands over ClaimLedgerAccounts.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the newsroom app's accounts: users with a password, a ledger key of their role, API tokens.",
        discussion: """
            Accounts live beside the ledger, never in it: by default in LEDGER.accounts (mode 0700). Each user's \
            signing key is stored encrypted under their password. Passwords are asked on the terminal without \
            echo, or read one per line from standard input with --password-stdin.
            """,
        subcommands: [Add.self, List.self, Remove.self, Passwd.self, Token.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user who signs with KEY, an active ledger key of the same role.")
        @Argument(help: ArgumentHelp("The user name: 1-64 characters of a-z, 0-9, '.', '_', '-'.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("journalist or editor: must be the ledger role of the key.", valueName: "role")) var role: String
        @Option(help: ArgumentHelp("The user's unencrypted Ed25519 PKCS#8 PEM key file (mode 0600); it is stored encrypted under the password.", valueName: "file"))
        var key: String
        @OptionGroup var place: AccountsOptions
        @OptionGroup var password: PasswordOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReportingAccounts {
                guard let role = NewsroomRole(rawValue: role) else { throw ValidationError("--role must be journalist or editor") }
                try AccountRules.checkName(name)
                let signingKey = try KeyFiles.loadPrivateKey(key)
                let state = try LedgerStore.open(place.ledger).queries().state
                try AccountStore.checkLedgerKey(signingKey.publicKey, role: role, in: state)
                let directory = try place.directoryBesideLedger()
                let secret = try password.newPassword(for: name)
                let store = try AccountStore.open(directory: directory, create: true)
                let account = try store.addUser(name: name, role: role, signingKey: signingKey, password: secret,
                                                ledgerState: state, time: try Clock.now())
                if output.json { Terminal.printJSON(accountJSON(account, tokens: [])); return }
                print("Added \(account.name) (\(account.role.rawValue)), key \(account.keyID), in \(directory)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, their roles, keys and API tokens.")
        @OptionGroup var place: AccountsOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReportingAccounts {
                let store = try AccountStore.open(directory: place.directory)
                let users = try store.accounts().map { ($0, try store.tokens(of: $0.name)) }
                if output.json {
                    Terminal.printJSON(["users": .array(users.map { accountJSON($0.0, tokens: $0.1) })])
                    return
                }
                if users.isEmpty { Terminal.note("No users yet: add one with `claimledger user add NAME --role ROLE --key FILE`.") }
                for (a, tokens) in users {
                    print("\(a.name.padding(16))  \(a.role.rawValue.padding(10))  \(a.keyID)  created \(a.created)  \(tokens.count) token\(tokens.count == 1 ? "" : "s")")
                    for t in tokens { print("    token \(t.id)  created \(t.created)  \(t.label)") }
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user and their API tokens (the ledger key itself stays: revoke it with `key revoke`).")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @OptionGroup var place: AccountsOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReportingAccounts {
                try AccountStore.open(directory: place.directory).removeUser(name: name)
                if output.json { Terminal.printJSON(["removed": .string(name)]); return }
                print("Removed \(name)")
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password; the same signing key is encrypted again under it.",
            discussion: "Asks for the current password, or takes the user's key file with --key (for a forgotten password). With --password-stdin: the current password (unless --key) and the new one, one per line.")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("The user's key file, instead of the current password.", valueName: "file")) var key: String?
        @OptionGroup var place: AccountsOptions
        @OptionGroup var password: PasswordOptions

        func run() throws {
            try runReportingAccounts {
                let store = try AccountStore.open(directory: place.directory)
                _ = try store.account(named: name)
                let credential = try key.map { AccountCredential.signingKey(try KeyFiles.loadPrivateKey($0)) }
                    ?? .password(try password.currentPassword(for: name))
                try store.changePassword(name: name, credential: credential, newPassword: try password.newPassword(for: name))
                print("Changed the password of \(name); the signing key is the same")
            }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an API bearer token for a user (printed once, stored hashed), or revoke one.",
            discussion: "Making a token needs the user's password (or --key): the token carries its own encrypted copy of the user's signing key.")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("A note saying what the token is for.", valueName: "label")) var label: String = ""
        @Option(help: ArgumentHelp("Revoke the token with this id (see `user list`).", valueName: "id")) var revoke: String?
        @Option(help: ArgumentHelp("The user's key file, instead of their password.", valueName: "file")) var key: String?
        @OptionGroup var place: AccountsOptions
        @OptionGroup var password: PasswordOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try runReportingAccounts {
                let store = try AccountStore.open(directory: place.directory)
                if let revoke {
                    try store.revokeToken(name: name, id: revoke)
                    if output.json { Terminal.printJSON(["revoked": .string(revoke), "user": .string(name)]); return }
                    print("Revoked token \(revoke) of \(name)")
                    return
                }
                _ = try store.account(named: name)
                let credential = try key.map { AccountCredential.signingKey(try KeyFiles.loadPrivateKey($0)) }
                    ?? .password(try password.currentPassword(for: name))
                let (token, info) = try store.createToken(name: name, credential: credential, label: label, time: try Clock.now())
                if output.json {
                    Terminal.printJSON(["user": .string(name), "id": .string(info.id), "label": .string(info.label),
                                        "created": .string(info.created), "token": .string(token)])
                    return
                }
                print(token)
                Terminal.note("Token \(info.id) for \(name): shown only now; send it as `Authorization: Bearer TOKEN`.")
            }
        }
    }
}

struct AccountsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The accounts directory (default: LEDGER.accounts, beside the ledger).", valueName: "dir"))
    var accounts: String?
    @Option(name: .long, help: ArgumentHelp("The ledger directory.", valueName: "dir"))
    var ledger: String = "ledger"

    var directory: String { accounts ?? AccountStore.defaultDirectory(forLedger: ledger) }

    /// `directory`, refused when it would be inside the ledger (accounts never go in it).
    func directoryBesideLedger() throws -> String {
        let dir = directory
        guard let ledgerPath = realpath(ledger, nil) else { return dir }
        defer { free(ledgerPath) }
        let parent = realpath(dir.contains("/") ? String(dir[..<dir.lastIndex(of: "/")!]).nonEmpty ?? "/" : ".", nil)
        defer { free(parent) }
        let resolved = (parent.map { String(cString: $0) } ?? dir) + "/" + (dir.split(separator: "/").last.map(String.init) ?? dir)
        let root = String(cString: ledgerPath)
        if resolved == root || resolved.hasPrefix(root + "/") {
            throw ValidationError("the accounts directory \(dir) is inside the ledger \(ledger): keep accounts beside it, e.g. \(AccountStore.defaultDirectory(forLedger: ledger))")
        }
        return dir
    }
}

struct PasswordOptions: ParsableArguments {
    @Flag(name: .long, help: "Read passwords from standard input, one per line, instead of asking on the terminal.")
    var passwordStdin = false

    func currentPassword(for name: String) throws -> String {
        try PasswordInput.shared.read(prompt: "Current password for \(name): ", fromStdin: passwordStdin)
    }

    /// A new password, checked against the rules, asked twice on a terminal.
    func newPassword(for name: String) throws -> String {
        let first = try PasswordInput.shared.read(prompt: "New password for \(name): ", fromStdin: passwordStdin)
        try AccountRules.checkPassword(first, name: name)
        if !passwordStdin {
            guard try PasswordInput.shared.read(prompt: "Repeat the password: ", fromStdin: false) == first else {
                throw ValidationError("the two passwords differ: nothing was changed")
            }
        }
        return first
    }
}

/// Passwords from the controlling terminal with echo off, or lines of standard input.
final class PasswordInput: @unchecked Sendable {
    static let shared = PasswordInput()
    private var stdinLines: [String]?
    private var nextLine = 0

    func read(prompt: String, fromStdin: Bool) throws -> String {
        if fromStdin {
            if stdinLines == nil {
                let text = String(decoding: readStandardInput(limit: 16 * 1024), as: UTF8.self)
                stdinLines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                    $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
                }
            }
            guard let lines = stdinLines, nextLine < lines.count, !lines[nextLine].isEmpty else {
                throw ValidationError("--password-stdin: standard input has no password on line \(nextLine + 1)")
            }
            nextLine += 1
            return lines[nextLine - 1]
        }
        return try readFromTerminal(prompt: prompt)
    }

    private func readFromTerminal(prompt: String) throws -> String {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw ValidationError("no terminal to ask for the password on: pass --password-stdin") }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw ValidationError("cannot read the terminal's settings: pass --password-stdin") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        writeAll(fd, prompt)
        guard tcsetattr(fd, TCSAFLUSH, &silent) == 0 else { throw ValidationError("cannot turn off echo: pass --password-stdin") }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            writeAll(fd, "\n")
        }
        var line = [UInt8]()
        var byte: UInt8 = 0
        while line.count <= 4096 {
            let n = Glibc.read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || byte == 0x0A { break }
            line.append(byte)
        }
        if line.last == 0x0D { line.removeLast() }
        guard !line.isEmpty else { throw ValidationError("no password given: nothing was changed") }
        return String(decoding: line, as: UTF8.self)
    }

    private func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

private func accountJSON(_ a: Account, tokens: [TokenInfo]) -> JSONValue {
    ["name": .string(a.name), "role": .string(a.role.rawValue), "keyId": .string(a.keyID), "created": .string(a.created),
     "tokens": .array(tokens.map { ["id": .string($0.id), "label": .string($0.label), "created": .string($0.created)] })]
}

/// `runReporting` for account commands: an `AccountError` becomes one line on stderr and exit 2 (bad
/// input: wrong name, password, key or token) or 3 (the accounts directory: permissions, storage).
func runReportingAccounts(_ body: () throws -> Void) throws {
    try runReporting {
        do { try body() } catch let e as AccountError {
            Terminal.error("\(e.message) [\(e.code.rawValue)]")
            switch e.code {
            case .permissions, .storage: throw ExitCode(Exit.environment)
            default: throw ExitCode(Exit.badInput)
            }
        }
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
