import Hummingbird
import Synchronization

/// The routes' paths and methods, filled once the router has every route, so that a request whose path
/// exists but whose method does not (TRACE, PUT, DELETE on a read route; GET on a write-only route) is
/// answered 405 Method Not Allowed with an `Allow` header (RFC 9110 section 15.5.6), not 404.
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: String, segments: [Substring])]>([])

    func fill(from router: Router<AppRequestContext>) {
        let table = router.routes.map { (method: $0.method.rawValue, segments: $0.path.description.split(separator: "/")) }
        routes.withLock { $0 = table }
    }

    /// True when a route has `method` (GET for HEAD) and matches `parts`: the common case, answered at
    /// the first such route, without building anything.
    func routes(_ method: String, _ parts: [Substring]) -> Bool {
        let wanted = method == "HEAD" ? "GET" : method
        return routes.withLock { table in table.contains { $0.method == wanted && Self.matches($0.segments, parts) } }
    }

    /// The methods routed for a path split into `parts` (HEAD wherever GET is), or nil when no route has
    /// that path.
    func methods(for parts: [Substring]) -> Set<String>? {
        let found = routes.withLock { table in
            Set(table.filter { Self.matches($0.segments, parts) }.map(\.method))
        }
        guard !found.isEmpty else { return nil }
        return found.contains("GET") ? found.union(["HEAD"]) : found
    }

    static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        guard pattern.count == parts.count else { return false }
        return zip(pattern, parts).allSatisfy { p, s in p.hasPrefix(":") || p.hasPrefix("{") || p == "*" || p == s }
    }
}

struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let parts = request.uri.path.split(separator: "/")
        if !table.routes(request.method.rawValue, parts), let allowed = table.methods(for: parts), !allowed.contains(request.method.rawValue) {
            var problem = Problem(.methodNotAllowed, code: "method-not-allowed",
                                  detail: "\(request.method.rawValue) is not allowed on \(request.uri.path): use \(allowed.sorted().joined(separator: ", "))")
            problem.headers[.allow] = allowed.sorted().joined(separator: ", ")
            throw problem
        }
        return try await next(request, context)
    }
}
