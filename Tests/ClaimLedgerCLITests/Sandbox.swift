import CanonicalJSON
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// A ledger in a temporary directory with its keys: `root.pem` (root, signs the genesis and key
/// entries) and `desk.pem` (journalist), both mode 0600 with `.pub` SPKI files beside them.
struct Sandbox {
    static let article = """
        PARIS (AFP) - Le Kremlin a accusé l'Ukraine d'avoir visé la résidence de Vladimir Poutine avec des drones, \
        ce que Kiev dément. « Aucune attaque n'a eu lieu », a déclaré un porte-parole ukrainien. Selon Moscou, \
        cette affirmation selon laquelle rien n'a eu lieu est un mensonge. Le sommet de Paris s'est tenu mardi.

        """
    static let droneQuote = "Le Kremlin a accusé l'Ukraine d'avoir visé la résidence de Vladimir Poutine avec des drones"
    static let summitQuote = "Le sommet de Paris s'est tenu mardi"
    /// Occurs twice in `article`.
    static let ambiguousQuote = "n'a eu lieu"

    let dir: String
    var ledger: String { dir + "/ledger" }
    var entriesPath: String { ledger + "/entries.jsonl" }
    var archivePath: String { ledger + "/sources/sha256" }
    var rootKey: String { dir + "/root.pem" }
    var deskKey: String { dir + "/desk.pem" }
    var articlePath: String { dir + "/article.txt" }

    /// Keys and an initialised ledger with the journalist's key admitted (entries 0 and 1).
    init(in dir: String) throws {
        self.dir = dir
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: rootKey)
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: deskKey)
        try Files.write(Self.article, to: articlePath)
        try expectSuccess(["init", "--ledger", ledger, "--origin", "test.example/claims", "--name", "newsroom-root", "--key", rootKey])
        try expectSuccess(["key", "add", deskKey + ".pub", "--name", "desk", "--ledger", ledger, "--key", rootKey])
    }

    /// Runs `claimledger args` and expects exit 0; returns its stdout.
    @discardableResult
    func expectSuccess(_ args: [String], env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try CLI.run(args, env: env)
        try #require(result.status == 0, "claimledger \(args.joined(separator: " ")): \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// `claimledger args --ledger L --key desk.pem` (a journalist's command on this ledger).
    func desk(_ args: [String], key: String? = nil, env: [String: String] = [:]) throws -> ProcessResult {
        try CLI.run(args + ["--ledger", ledger, "--key", key ?? deskKey], env: env)
    }

    /// Archives the article (entry 2) and returns its source id.
    func addArticle() throws -> String {
        let result = try desk(["source", "add", articlePath, "--title", "Le Kremlin accuse l'Ukraine", "--publisher", "AFP",
                               "--url", "https://example.org/afp/kremlin", "--published", "2026-01-06", "--language", "fr"])
        try #require(result.status == 0, "\(result)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// Entries 2-6: the article, claim `drone-claim` (3) disputed (4), claim `summit-claim` (5)
    /// corroborated (6). Returns the article's source id.
    @discardableResult
    func populate() throws -> String {
        let source = try addArticle()
        try #require(try desk(["claim", "add", "--source", source, "--quote", Self.droneQuote, "--id", "drone-claim",
                               "--statement", "The Kremlin accused Ukraine of targeting Putin's residence with drones.",
                               "--claimant", "Kremlin"]).status == 0)
        try #require(try desk(["claim", "status", "drone-claim", "disputed", "--rationale", "Kyiv denies it.",
                               "--evidence", source]).status == 0)
        try #require(try desk(["claim", "add", "--source", String(source.prefix(12)), "--quote", Self.summitQuote,
                               "--id", "summit-claim", "--statement", "The Paris summit took place on Tuesday.",
                               "--claimant", "AFP", "--status", "corroborated", "--rationale", "Several outlets report it."]).status == 0)
        try #require(try Files.lines(entriesPath).count == 7)
        return source
    }

    func entries() throws -> [UInt8] { try Files.bytes(entriesPath) }
    func lines() throws -> [String] { try Files.lines(entriesPath) }

    /// `verify --json` of this ledger.
    func verifyJSON() throws -> (status: Int32, report: [String: JSONValue]) {
        let result = try CLI.run(["verify", "--json", "--ledger", ledger])
        return (result.status, try #require(try result.json.objectValue, "\(result)"))
    }
}

/// Checks that a command failed as documented: the exit code, one line on stderr starting with
/// "claimledger: error:", and neither `entries.jsonl` nor the source archive changed.
func expectRefused(_ sandbox: Sandbox, _ exit: Int32, mentioning words: [String] = [],
                   sourceLocation: SourceLocation = #_sourceLocation, _ run: () throws -> ProcessResult) throws -> ProcessResult {
    let entriesBefore = try? sandbox.entries()
    let archiveBefore = Files.list(sandbox.archivePath)
    let result = try run()
    expectOneLineError(result, exit: exit, mentioning: words, sourceLocation: sourceLocation)
    #expect((try? sandbox.entries()) == entriesBefore, "entries.jsonl changed", sourceLocation: sourceLocation)
    #expect(Files.list(sandbox.archivePath) == archiveBefore, "the source archive changed", sourceLocation: sourceLocation)
    return result
}

func expectOneLineError(_ result: ProcessResult, exit: Int32, mentioning words: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == exit, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderrLines.count == 1 && result.stderr.hasSuffix("\n"), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("claimledger: error: "), "\(result)", sourceLocation: sourceLocation)
    for word in words { #expect(result.stderr.contains(word), "\(word) not in: \(result.stderr)", sourceLocation: sourceLocation) }
}
