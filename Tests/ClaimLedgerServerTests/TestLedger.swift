import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCrypto
import NIOCore
import Testing

/// A ledger in a temporary directory for the server's tests: a copy of the committed seed ledger, or
/// a small one built here with keys generated at run time. Removed when the test ends (`withLedger`).
struct TestLedger {
    static let repoRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let article = """
        PARIS (AFP) - Le Kremlin a accusé l'Ukraine d'avoir visé la résidence de Vladimir Poutine avec des drones, \
        ce que Kiev dément. « Aucune attaque n'a eu lieu », a déclaré un porte-parole ukrainien.\r
        Le sommet de Paris s'est tenu mardi.

        """
    static let droneQuote = "Le Kremlin a accusé l'Ukraine d'avoir visé la résidence de Vladimir Poutine avec des drones"
    static let summitQuote = "Le sommet de Paris s'est tenu mardi"
    static let hostileStatement = "<script>alert('x')</script> \"quoted\" & <img src=x onerror=alert(1)>"

    let dir: String
    var ledger: String { dir + "/ledger" }
    let root: Ed25519PrivateKey
    let desk: Ed25519PrivateKey
    var sourceID = ""

    /// A copy of the committed ledger (394 entries, checkpoints 178 and 394).
    static func seedCopy(in dir: String) throws -> TestLedger {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/ledger", withIntermediateDirectories: true)
        for item in ["entries.jsonl", "sources", "checkpoints"] {
            try fm.copyItem(atPath: repoRoot + "/ledger/" + item, toPath: dir + "/ledger/" + item)
        }
        return TestLedger(dir: dir, root: try .generate(), desk: try .generate())
    }

    /// A small ledger: root and desk keys, the article (entry 2), `drone-claim` (3) disputed (4),
    /// `summit-claim` (5), and `hostile-claim` (6) whose statement and claimant are markup.
    static func small(in dir: String) throws -> TestLedger {
        var t = TestLedger(dir: dir, root: try .generate(), desk: try .generate())
        let store = try LedgerStore.create(t.ledger, genesis: GenesisPayload(origin: "test.example/claims", keys: [NamedKey(name: "newsroom-root", publicKey: t.root.publicKey)]),
                                           rootKey: t.root, time: Self.time(0))
        _ = try store.append([.payload(.key(.add(NamedKey(name: "desk", publicKey: t.desk.publicKey), role: .journalist)))], key: t.root, time: time(1))
        let source = SourceDraft(bytes: Array(article.utf8), title: "Le Kremlin accuse l'Ukraine", publisher: "AFP",
                                 url: "https://example.org/afp/kremlin", published: CalendarDate("2026-01-06")!, language: "fr", mediaType: "text/plain")
        _ = try store.append([.source(source, ref: nil)], key: t.desk, time: time(2))
        t.sourceID = source.payload.id
        var disputed = StatusDraft(claim: "drone-claim", status: .disputed, rationale: "Kyiv denies it.", evidence: [t.sourceID])
        disputed.spans = []
        _ = try store.append([.claim(ClaimDraft(id: "drone-claim", statement: "The Kremlin accused Ukraine of targeting Putin's residence with drones.",
                                                language: "en", claimant: "Kremlin", date: nil,
                                                quotes: [QuoteDraft(source: t.sourceID, text: droneQuote)], status: disputed))],
                             key: t.desk, time: time(3))
        _ = try store.append([.claim(ClaimDraft(id: "summit-claim", statement: "The Paris summit took place on Tuesday.", language: "en",
                                                claimant: "AFP", date: nil, quotes: [QuoteDraft(source: t.sourceID, text: summitQuote)], status: nil))],
                             key: t.desk, time: time(5))
        _ = try store.append([.claim(ClaimDraft(id: "hostile-claim", statement: hostileStatement, language: "en",
                                                claimant: "<b>Bold</b> claimant", date: nil,
                                                quotes: [QuoteDraft(source: t.sourceID, text: "Aucune attaque")], status: nil))],
                             key: t.desk, time: time(6))
        return t
    }

    static func time(_ minute: Int) -> Timestamp { Timestamp(secondsSinceEpoch: 1_780_000_000 + Int64(minute) * 60) }

    /// Appends a claim entry by hand, bypassing the writers' rules (which refuse direction controls):
    /// such entries verify with a warning, and the pages must render them inert.
    func appendRaw(claimID: String, statement: String, minute: Int) throws {
        let store = try LedgerStore.open(ledger)
        let state = try store.verifiedState()
        let bytes = Array(Self.article.utf8)
        let quoteText = "Le sommet"
        let start = try #require(Self.range(of: Array(quoteText.utf8), in: bytes))
        let digest = try #require(SHA256Digest(hex: sourceID))
        let claim = ClaimPayload(id: claimID, statement: statement, statementLanguage: "en", claimant: "Someone \u{202E}evil",
                                 date: CalendarDate("2026-01-06")!, quotes: [Quote(source: digest, text: quoteText, start: start, end: start + quoteText.utf8.count)])
        let entry = Entry(seq: state.size, prev: state.head, time: Self.time(minute), signer: desk.publicKey.keyID, payload: .claim(claim))
        let signed = try SignedEntry.sign(entry, with: desk)
        let handle = try #require(FileHandle(forWritingAtPath: ledger + "/entries.jsonl"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(signed.line + [0x0A]))
    }

    static func range(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    func services() throws -> AppServices {
        try AppBuilder.services(ServerConfig(ledger: ledger))
    }
}

/// Runs `body` with a new private directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array((FileManager.default.temporaryDirectory.path + "/claimledger-server-test-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
    let path = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A test client's response, read.
struct Fetched {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String
}

extension TestClientProtocol {
    func fetch(_ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil) async throws -> Fetched {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Fetched(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}

/// Runs `body` against the app on a fresh ledger (`small` by default).
func withApp(seed: Bool = false, _ body: (TestLedger, any TestClientProtocol) async throws -> Void) async throws {
    try await withTemporaryDirectory { dir in
        let ledger = seed ? try TestLedger.seedCopy(in: dir) : try TestLedger.small(in: dir)
        let app = AppBuilder.application(services: try ledger.services())
        try await app.test(.router) { client in try await body(ledger, client) }
    }
}
