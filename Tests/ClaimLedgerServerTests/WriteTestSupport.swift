import ClaimLedgerAccounts
import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCrypto
import NIOCore
import Testing

/// A writable newsroom in a temporary directory: a ledger with a root key, the default verdict scale,
/// a journalist `desk`, two editors `eve` and `ed`, one French source, and a claim `drone-claim` with a
/// verdict by the desk; accounts for each (keys generated at run time, never the real ones).
final class Newsroom: @unchecked Sendable {
    static let article = """
        PARIS (AFP) – Le Kremlin a accusé l'Ukraine d'avoir visé la résidence de Vladimir Poutine avec des drones, \
        ce que Kiev dément. « Aucune attaque n'a eu lieu », a déclaré un porte-parole ukrainien. Selon Moscou, \
        cette affirmation selon laquelle rien n'a eu lieu est un mensonge. Le sommet de Paris s'est tenu mardi.

        """
    static let droneQuote = "Le Kremlin a accusé l'Ukraine d'avoir visé la résidence de Vladimir Poutine avec des drones"
    static let summitQuote = "Le sommet de Paris s'est tenu mardi"
    /// Occurs twice in `article`.
    static let twiceQuote = "n'a eu lieu"
    static let password = "correct horse battery staple"

    let dir: String
    var ledger: String { dir + "/ledger" }
    let root: Ed25519PrivateKey
    let desk: Ed25519PrivateKey
    let eve: Ed25519PrivateKey
    let ed: Ed25519PrivateKey
    let sourceID: String
    let accounts: AccountStore
    var tokens: [String: String] = [:]
    let clock: TestClock

    init() throws {
        dir = NSTemporaryDirectory() + "claimledger-serverw-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ledger = dir + "/ledger"
        root = try Ed25519PrivateKey.generate()
        desk = try Ed25519PrivateKey.generate()
        eve = try Ed25519PrivateKey.generate()
        ed = try Ed25519PrivateKey.generate()
        let t0 = Timestamp(rfc3339: "2026-01-06T09:00:00Z")!
        let store = try LedgerStore.create(ledger, genesis: GenesisPayload(origin: "test.example/claims", keys: [NamedKey(name: "root", publicKey: root.publicKey)]),
                                           rootKey: root, time: t0)
        try store.append([.payload(.key(.add(NamedKey(name: "desk", publicKey: desk.publicKey), role: .journalist))),
                          .payload(.key(.add(NamedKey(name: "eve", publicKey: eve.publicKey), role: .editor))),
                          .payload(.key(.add(NamedKey(name: "ed", publicKey: ed.publicKey), role: .editor))),
                          .payload(.scale(ScalePayload(labels: [
                              ScaleLabel(label: "false", description: "The claim is wrong.", rating: ReviewRating(alternateName: "False", ratingValue: 1, bestRating: 5, worstRating: 1)),
                              ScaleLabel(label: "accurate", description: "The claim is correct.", rating: ReviewRating(alternateName: "Accurate", ratingValue: 5, bestRating: 5, worstRating: 1)),
                          ])))], key: root, time: t0)
        let source = SourceDraft(bytes: Array(Self.article.utf8), title: "Le Kremlin accuse l'Ukraine", publisher: "AFP",
                                 url: "https://example.org/afp/kremlin", published: CalendarDate("2026-01-06")!, language: "fr", mediaType: "text/plain; charset=utf-8")
        let (entries, _) = try store.append([.source(source, ref: nil)], key: desk, time: t0)
        guard case .source(let recorded) = entries[0].entry.payload else { throw CancellationError() }
        sourceID = recorded.sha256.hex
        var status = StatusDraft(claim: "drone-claim", status: .disputed, rationale: "Kyiv denies it.", evidence: [sourceID])
        status.verdict = "false"
        status.spans = [QuoteDraft(source: sourceID, text: "ce que Kiev dément")]
        try store.append([.claim(ClaimDraft(id: "drone-claim", statement: "The Kremlin accused Ukraine of targeting Putin's residence with drones.",
                                            language: "en", claimant: "Kremlin", date: nil,
                                            quotes: [QuoteDraft(source: sourceID, text: Self.droneQuote)], status: status))], key: desk, time: t0)
        clock = TestClock(now: 1_800_000_000)
        accounts = try NewsroomAccounts.make(directory: dir + "/ledger.accounts", ledger: ledger)
        for (name, role, key) in [("desk", NewsroomRole.journalist, desk), ("eve", .editor, eve), ("ed", .editor, ed)] {
            tokens[name] = try NewsroomAccounts.add(accounts, name: name, role: role, key: key, password: Self.password, ledger: ledger, dir: dir)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// The app on this newsroom, its writer running as a service.
    func app(sessions: SessionStore = SessionStore()) throws -> some ApplicationProtocol {
        AppBuilder.application(services: try services(sessions: sessions))
    }

    /// A writable server's services on this newsroom (the writer is run by the application).
    func services(sessions: SessionStore = SessionStore()) throws -> AppServices {
        let config = ServerConfig(ledger: ledger, accounts: dir + "/ledger.accounts", port: 0)
        let view = try LedgerView(directory: ledger)
        let clock = self.clock
        let writer = LedgerWriter(ledgerDirectory: ledger, view: view)
        let write = WriteServices(accounts: accounts, sessions: sessions, writer: writer, now: { clock.now })
        return AppServices(config: config, view: view, write: write)
    }

    func entries() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/entries.jsonl")) }

    func lineCount() throws -> Int { try entries().split(separator: 0x0A).count }

    /// The library's full verification (what `claimledger verify` runs) of the ledger now.
    func verify() throws -> VerificationReport {
        try LedgerStore.open(ledger).verify().report
    }

    func state() throws -> LedgerState { try LedgerStore.open(ledger).verifiedState() }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(now: Double) { value = now }
    var now: Double { lock.withLock { value } }
    func advance(_ seconds: Double) { lock.withLock { value += seconds } }
}

/// A browser's cookie jar over a test client: keeps the cookies the server sets, sends them back.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private let lock = NSLock()
    private var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
        /// The value of the first hidden `csrf` field.
        var csrf: String? { Browser.attribute(after: "name=\"csrf\" value=\"", in: body) }
    }

    func cookie(_ name: String) -> String? { lock.withLock { cookies[name] } }
    func setCookie(_ name: String, _ value: String?) { lock.withLock { cookies[name] = value } }

    @discardableResult
    func get(_ uri: String) async throws -> Page { try await send(uri, method: .get, body: nil, type: nil) }

    /// POSTs a form (`application/x-www-form-urlencoded`).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Page {
        let body = fields.map { Browser.encode($0.0) + "=" + Browser.encode($0.1) }.joined(separator: "&")
        return try await send(uri, method: .post, body: body, type: "application/x-www-form-urlencoded")
    }

    func send(_ uri: String, method: HTTPRequest.Method, body: String?, type: String?, extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        let jar = lock.withLock { cookies }
        if !jar.isEmpty { headers[.cookie] = jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let type { headers[.contentType] = type }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 || header.contains("Max-Age=0") else { continue }
            let name = String(pair[0]), value = pair.count == 2 ? String(pair[1]) : ""
            lock.withLock { cookies[name] = header.contains("Max-Age=0") ? nil : value }
        }
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Logs in through the login form; returns the page the POST answered with.
    @discardableResult
    func login(_ name: String, password: String = Newsroom.password) async throws -> Page {
        let form = try await get("/login")
        return try await post("/login", [("csrf", form.csrf ?? ""), ("name", name), ("password", password)])
    }

    /// The CSRF token of a page's forms (any page shows it in the header's logout form once logged in).
    func csrf(_ uri: String = "/new-claim") async throws -> String {
        try #require(try await get(uri).csrf)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    static func attribute(after marker: String, in body: String) -> String? {
        guard let r = body.range(of: marker) else { return nil }
        let rest = body[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

/// An API client: JSON bodies with a bearer token.
func apiPost(_ client: any TestClientProtocol, _ uri: String, token: String?, json: String) async throws -> (HTTPResponse.Status, String) {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let token { headers[.authorization] = "Bearer " + token }
    let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    return (response.status, String(buffer: response.body))
}
