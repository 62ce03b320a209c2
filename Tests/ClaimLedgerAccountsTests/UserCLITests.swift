import CanonicalJSON
import ClaimLedgerAccounts
import Foundation
import Testing

/// `claimledger user ...` through the binary this test run built.
@Suite struct UserCLITests {
    @Test func userCommandsRoundTrip() throws {
        let f = try CLIFixture()
        let password = "alice's long password", newPassword = "another long password"
        let added = try f.run(["user", "add", "alice", "--role", "journalist", "--key", f.desk, "--ledger", f.ledger, "--password-stdin"],
                              stdin: password + "\n")
        try #require(added.status == 0, "\(added)")
        #expect(added.stdout.contains("Added alice (journalist), key \(f.deskID)"))
        #expect(try NewsroomFixture.mode(f.accounts) == 0o700)
        #expect(try NewsroomFixture.mode(f.accounts + "/accounts.json") == 0o600)

        // The key of another role, a weak password, a taken name: refused with exit 2 and one line.
        let wrongRole = try f.run(["user", "add", "bob", "--role", "journalist", "--key", f.editor, "--ledger", f.ledger, "--password-stdin"], stdin: "a long enough password\n")
        #expect(wrongRole.status == 2)
        #expect(wrongRole.stderr.contains("[key-mismatch]") && wrongRole.stderr.split(separator: "\n").count == 1, "\(wrongRole)")
        let weak = try f.run(["user", "add", "bob", "--role", "editor", "--key", f.editor, "--ledger", f.ledger, "--password-stdin"], stdin: "short\n")
        #expect(weak.status == 2 && weak.stderr.contains("[weak-password]"), "\(weak)")
        let taken = try f.run(["user", "add", "alice", "--role", "editor", "--key", f.editor, "--ledger", f.ledger, "--password-stdin"], stdin: "a long enough password\n")
        #expect(taken.status == 2 && taken.stderr.contains("[duplicate-user]"), "\(taken)")

        let token = try f.run(["user", "token", "alice", "--label", "ci", "--ledger", f.ledger, "--password-stdin", "--json"], stdin: password + "\n")
        try #require(token.status == 0, "\(token)")
        let tokenJSON = try JSONParser.parse(token.stdout)
        let secret = try #require(tokenJSON["token"]?.stringValue)
        let tokenID = try #require(tokenJSON["id"]?.stringValue)
        let wrongPassword = try f.run(["user", "token", "alice", "--ledger", f.ledger, "--password-stdin"], stdin: "not her password\n")
        #expect(wrongPassword.status == 2 && wrongPassword.stderr.contains("[bad-credentials]"), "\(wrongPassword)")

        let list = try f.run(["user", "list", "--ledger", f.ledger, "--json"])
        try #require(list.status == 0, "\(list)")
        let users = try #require(try JSONParser.parse(list.stdout)["users"]?.arrayValue)
        #expect(users.count == 1)
        #expect(users.first?["keyId"]?.stringValue == f.deskID)
        #expect(users.first?["tokens"]?.arrayValue?.first?["id"]?.stringValue == tokenID)
        let plainList = try f.run(["user", "list", "--ledger", f.ledger])
        #expect(plainList.stdout.contains("alice") && plainList.stdout.contains("journalist") && !plainList.stdout.contains(secret))

        let passwd = try f.run(["user", "passwd", "alice", "--ledger", f.ledger, "--password-stdin"], stdin: "\(password)\n\(newPassword)\n")
        try #require(passwd.status == 0, "\(passwd)")
        let store = try AccountStore.open(directory: f.accounts)
        #expect(try store.login(name: "alice", password: newPassword, client: "test", now: 0).signingKey.publicKey.keyID.hex == f.deskID)
        #expect(try store.authenticate(bearerToken: secret).account.name == "alice")

        let revoke = try f.run(["user", "token", "alice", "--revoke", tokenID, "--ledger", f.ledger])
        #expect(revoke.status == 0, "\(revoke)")
        #expect(throws: AccountError.self) { try store.authenticate(bearerToken: secret) }

        let removed = try f.run(["user", "remove", "alice", "--ledger", f.ledger])
        #expect(removed.status == 0, "\(removed)")
        #expect(throws: AccountError.self) { try store.login(name: "alice", password: newPassword, client: "test", now: 0) }
        let again = try f.run(["user", "remove", "alice", "--ledger", f.ledger])
        #expect(again.status == 2 && again.stderr.contains("[unknown-user]"), "\(again)")

        for result in [added, wrongRole, weak, taken, token, list, passwd, revoke, removed] {
            #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
            #expect(!result.stdout.contains("PRIVATE KEY") && !result.stderr.contains("PRIVATE KEY"))
        }
    }

    @Test func unsafePlacesAndPermissionsAreRefused() throws {
        let f = try CLIFixture()
        let inside = try f.run(["user", "add", "alice", "--role", "journalist", "--key", f.desk, "--ledger", f.ledger,
                                "--accounts", f.ledger + "/accounts", "--password-stdin"], stdin: "a long enough password\n")
        #expect(inside.status == 2 && inside.stderr.contains("inside the ledger"), "\(inside)")
        #expect(!FileManager.default.fileExists(atPath: f.ledger + "/accounts"))

        try NewsroomFixture.chmod(f.desk, 0o644)
        let openKey = try f.run(["user", "add", "alice", "--role", "journalist", "--key", f.desk, "--ledger", f.ledger, "--password-stdin"], stdin: "a long enough password\n")
        #expect(openKey.status == 3 && openKey.stderr.contains("chmod 600"), "\(openKey)")
        try NewsroomFixture.chmod(f.desk, 0o600)

        let added = try f.run(["user", "add", "alice", "--role", "journalist", "--key", f.desk, "--ledger", f.ledger, "--password-stdin"], stdin: "a long enough password\n")
        try #require(added.status == 0, "\(added)")
        try NewsroomFixture.chmod(f.accounts, 0o755)
        let list = try f.run(["user", "list", "--ledger", f.ledger])
        #expect(list.status == 3 && list.stderr.contains("[permissions]") && list.stderr.contains("chmod 700"), "\(list)")
        try NewsroomFixture.chmod(f.accounts, 0o700)

        let missing = try f.run(["user", "list", "--accounts", f.dir + "/nowhere"])
        #expect(missing.status == 3, "\(missing)")
        let noStdin = try f.run(["user", "passwd", "alice", "--ledger", f.ledger, "--password-stdin"], stdin: "")
        #expect(noStdin.status == 2, "\(noStdin)")
        let help = try f.run(["user", "--help"])
        #expect(help.status == 0 && help.stdout.contains("token"), "\(help)")
    }
}

/// A ledger made with the CLI: root, a journalist key (desk.pem) and an editor key (editor.pem).
final class CLIFixture {
    let dir: String
    var ledger: String { dir + "/ledger" }
    var accounts: String { dir + "/ledger.accounts" }
    var root: String { dir + "/root.pem" }
    var desk: String { dir + "/desk.pem" }
    var editor: String { dir + "/editor.pem" }
    var deskID = ""

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/claimledger-usercli-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        dir = String(cString: made)
        for key in [root, desk, editor] { try expect(["key", "generate", "--out", key]) }
        try expect(["init", "--ledger", ledger, "--origin", "test.example/claims", "--key", root])
        deskID = try expect(["key", "add", desk + ".pub", "--name", "desk", "--role", "journalist", "--ledger", ledger, "--key", root])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try expect(["key", "add", editor + ".pub", "--name", "editor", "--role", "editor", "--ledger", ledger, "--key", root])
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    private func expect(_ args: [String]) throws -> String {
        let result = try CLIResult.run(args, stdin: "")
        try #require(result.status == 0, "claimledger \(args.joined(separator: " ")): \(result)")
        return result.stdout
    }

    func run(_ args: [String], stdin: String = "") throws -> CLIResult {
        try CLIResult.run(args, stdin: stdin)
    }
}

struct CLIResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    var description: String { "exit \(status)\nstdout: \(stdout.prefix(1000))\nstderr: \(stderr.prefix(1000))" }

    static let binary: String = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for folder in [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), testBinary.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("claimledger").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/claimledger").path
    }()

    /// Runs the binary with `stdin`, output to files (no pipe can fill up).
    static func run(_ args: [String], stdin: String) throws -> CLIResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("claimledger-usercli-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("in"), outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        try Data(stdin.utf8).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["CLAIMLEDGER_KEY"] = nil
        environment["CLAIMLEDGER_TIME"] = nil
        process.environment = environment
        let input = try FileHandle(forReadingFrom: inURL), output = try FileHandle(forWritingTo: outURL), errors = try FileHandle(forWritingTo: errURL)
        defer { try? input.close(); try? output.close(); try? errors.close() }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
