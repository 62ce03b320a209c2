// OWNED BY THE WRITE SIDE (branch serverw) after the skeleton: replace these stubs.
import Hummingbird
import ServiceLifecycle

/// The write side's services (accounts, sessions, CSRF, the writer); built by `WriteServices.open`.
public struct WriteServices: Sendable {
    public let writer: any LedgerWriting

    public init(writer: any LedgerWriting) { self.writer = writer }

    /// Opens the accounts directory and starts the writer. The read side calls it when
    /// `config.accounts` is set.
    public static func open(config: ServerConfig, view: LedgerView) throws -> WriteServices? {
        nil
    }

    /// Services the application runs beside the HTTP server (the writer).
    public var backgroundServices: [any Service] { [] }
}

/// The write side's routes and middleware.
public enum WriteRoutes {
    /// Middleware that runs before every route (authentication: fills `context.auth`).
    public static func middlewares(services: AppServices) -> [any MiddlewareProtocol<Request, Response, AppRequestContext>] { [] }

    /// Registers the login/logout, form and write API routes.
    public static func register(on router: Router<AppRequestContext>, services: AppServices) {}
}
