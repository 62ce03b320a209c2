import ClaimLedgerSite
import Hummingbird
import Logging
import NIOCore

/// Builds the application from a configuration: usable by `claimledger serve` and by
/// HummingbirdTesting (`AppBuilder.application(services:)` then `app.test(.router)`).
public enum AppBuilder {
    /// Opens and verifies the ledger; opens the write side when an accounts directory is configured.
    public static func services(_ config: ServerConfig) throws -> AppServices {
        if config.accounts != nil { try LedgerWriter.settleCrashedGroup(ledgerDirectory: config.ledger) }
        let view = try LedgerView(directory: config.ledger)
        var services = AppServices(config: config, view: view)
        if let indexed = IndexClaimSearch.attach(to: view, logger: Logger(label: "claimledger.search")) { services.search = indexed }
        services.write = try WriteServices.open(config: config, view: view)
        return services
    }

    /// Every route: the read side's pages and API, then the write side's (WriteRoutes).
    /// Middleware, outermost first: security headers (on every response, errors included), errors to
    /// problems/pages, request guards (query length), then the write side's authentication.
    public static func router(services: AppServices) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware<AppRequestContext>())
        router.add(middleware: ErrorMiddleware(services: services))
        router.add(middleware: RequestGuardMiddleware())
        let routeTable = RouteTable()
        router.add(middleware: MethodNotAllowedMiddleware(table: routeTable))
        WriteRoutes.addMiddlewares(to: router, services: services)
        router.get("/") { _, _ -> Response in Response.redirect(to: Paths.claims.value, type: .normal) }
        router.get("/healthz") { _, _ -> String in "ok" }
        StaticAssets.register(on: router)
        ReadRoutes.register(on: router, services: services)
        FeedRoutes.register(on: router, services: services)
        TileRoutes.register(on: router, services: services)
        WriteRoutes.register(on: router, services: services)
        routeTable.fill(from: router)
        return router
    }

    public static func application(
        services: AppServices, logger: Logger? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> Application<RouterResponder<AppRequestContext>> {
        let config = services.config
        return Application(
            router: router(services: services),
            server: .http1(configuration: .init(idleTimeout: .seconds(config.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            services: services.write?.backgroundServices ?? [],
            onServerRunning: onServerRunning,
            logger: logger ?? {
                var l = Logger(label: "claimledger.server")
                l.logLevel = config.logLevel
                return l
            }()
        )
    }

    /// `claimledger serve`: verifies the ledger, listens, prints
    /// `claimledger: serving LEDGER at http://HOST:PORT/` once listening, and runs until SIGTERM or
    /// SIGINT, then shuts down gracefully (requests in flight, appends among them, complete first).
    public static func serve(_ config: ServerConfig, printLine: @escaping @Sendable (String) -> Void) async throws {
        let services = try services(config)
        let app = application(services: services) { channel in
            let port = channel.localAddress?.port ?? config.port
            let host = config.host.contains(":") ? "[\(config.host)]" : config.host
            printLine("claimledger: serving \(config.ledger) at http://\(host):\(port)/")
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// Refuses oversized query strings, request targets with NUL bytes, and bodies declared larger than
/// `ServerLimits.maxRequestBody` (413) before any handler sees them. (Bodies without a length are
/// limited where they are read: `request.body.collect(upTo: context.maxUploadSize)`.)
struct RequestGuardMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let target = request.uri.string
        if target.utf8.count > ServerLimits.maxQueryBytes {
            throw Problem(.uriTooLong, code: "limit-exceeded", detail: "the request's URL is longer than \(ServerLimits.maxQueryBytes) bytes")
        }
        if target.utf8.contains(0) || target.lowercased().contains("%00") {
            throw Problem.badRequest("the request's URL contains a NUL byte")
        }
        if let length = request.headers[.contentLength], let n = Int(length), n > ServerLimits.maxRequestBody {
            throw Problem(.contentTooLarge, code: "limit-exceeded", detail: "the request body is \(n) bytes; the limit is \(ServerLimits.maxRequestBody)")
        }
        return try await next(request, context)
    }
}
