import ClaimLedgerCore
import Hummingbird
import LedgerCrypto

/// The write side's routes and middleware (called from `AppBuilder.router`): login and logout, the
/// write forms, the review queue and the JSON write API. A read-only server (no accounts) registers
/// none of them, so every write URL is a 404 there.
public enum WriteRoutes {
    /// Middleware that runs before every route: the session cookie fills `context.auth`.
    public static func middlewares(services: AppServices) -> [any RouterMiddleware<AppRequestContext>] {
        guard let write = services.write else { return [] }
        return [SessionMiddleware(write: write)]
    }

    /// Registers the login/logout, form, review queue and write API routes.
    public static func register(on router: Router<AppRequestContext>, services: AppServices) {
        guard let write = services.write else { return }
        LoginRoutes.register(on: router, services: services, write: write)
        WriteFormRoutes.register(on: router, services: services, write: write)
        ReviewQueue.register(on: router, services: services)
        WriteAPIRoutes.register(on: router, services: services, write: write)
    }
}

extension LedgerWriter: LedgerWriting {
    public func append(_ drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp) async throws -> [SignedEntry] {
        try await submit(drafts, key: key, time: time)
    }
}
