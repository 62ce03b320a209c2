import ClaimLedgerAccounts
import ClaimLedgerCore
import Glibc
import Hummingbird
import ServiceLifecycle

/// The write side's services: accounts, sessions, the one writer. Nil on a read-only server.
public struct WriteServices: Sendable {
    public let accounts: AccountStore
    public let sessions: SessionStore
    public let writer: LedgerWriter
    /// Cookies get `Secure` (set when the server is reached over TLS, e.g. behind a TLS proxy).
    public let secureCookies: Bool
    /// Seconds since the epoch (a parameter for the tests of expiry and throttling).
    public let now: @Sendable () -> Double

    public init(accounts: AccountStore, sessions: SessionStore = SessionStore(), writer: LedgerWriter, secureCookies: Bool = false,
                now: @escaping @Sendable () -> Double = WriteServices.systemNow) {
        self.accounts = accounts
        self.sessions = sessions
        self.writer = writer
        self.secureCookies = secureCookies
        self.now = now
    }

    /// Opens the accounts directory and makes the writer, which refreshes `view` (and through its
    /// observers the search index) after each durable batch. The writer runs as one of the
    /// application's services (`backgroundServices`).
    public static func open(config: ServerConfig, view: LedgerView) throws -> WriteServices? {
        guard let directory = config.accounts else { return nil }
        let accounts = try AccountStore.open(directory: directory)
        let writer = LedgerWriter(ledgerDirectory: config.ledger, view: view)
        return WriteServices(accounts: accounts, writer: writer, secureCookies: config.secureCookies)
    }

    /// Services the application runs before the HTTP server and stops after it (graceful shutdown:
    /// the server finishes its requests, then the writer commits what is queued).
    public var backgroundServices: [any Service] { [writer] }

    public static let systemNow: @Sendable () -> Double = {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    // MARK: cookies

    static let sessionCookie = "clsession"
    /// The login form's CSRF token before there is a session (double submit: cookie and field must match).
    static let loginCookie = "cllogin"

    func sessionCookie(_ session: WebSession) -> Cookie {
        Cookie(name: Self.sessionCookie, value: session.id, maxAge: Int(sessions.lifetime), path: "/", secure: secureCookies,
               httpOnly: true, sameSite: .strict)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    func loginCookie(_ token: String) -> Cookie {
        Cookie(name: Self.loginCookie, value: token, maxAge: 3600, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The session the request's cookie names, if it is live.
    func session(of request: Request) -> WebSession? {
        guard let id = request.cookies[Self.sessionCookie]?.value else { return nil }
        return sessions.session(id: id, now: now())
    }
}

/// Fills `context.auth` from the session cookie: the account, its CSRF token, a notice left for this
/// page. Bearer tokens are read only by the API's write routes (reads need no identity).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let write: WriteServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix("/static/"), let session = write.session(of: request) else {
            return try await next(request, context)
        }
        var context = context
        let notice = request.method == .get ? write.sessions.takeNotice(id: session.id, path: request.uri.path) : nil
        context.auth = RequestAuth(user: session.user, csrfToken: session.csrf, notice: notice)
        return try await next(request, context)
    }
}

extension ServerConfig {
    /// Whether cookies are marked `Secure`: the server is reached over HTTPS (`CLAIMLEDGER_SECURE_COOKIES=1`,
    /// for a server behind a TLS proxy).
    var secureCookies: Bool { getenv("CLAIMLEDGER_SECURE_COOKIES").map { String(cString: $0) == "1" } ?? false }
}
