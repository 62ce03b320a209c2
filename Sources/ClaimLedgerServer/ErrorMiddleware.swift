import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a handler (or the router's not-found) throws into a response: an RFC 9457
/// `application/problem+json` body under `/api/`, an HTML error page elsewhere, with the same status
/// and stable code. A 5xx is logged with its error (it is a bug or a broken ledger); 4xx are not.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500 {
                context.logger.error("\(request.method) \(request.uri.path): \(problem.code): \(String(describing: error))")
            }
            return Self.render(problem, for: request, context: context, services: services)
        }
    }

    static func isAPI(_ request: Request) -> Bool { request.uri.path.hasPrefix("/api/") }

    public static func render(_ problem: Problem, for request: Request, context: Context, services: AppServices) -> Response {
        if isAPI(request) { return problem.response() }
        let chrome = Chrome(context, services: services, section: .other)
        let html = Layout.page(title: problem.title, chrome: chrome) {
            el("h1") { problem.title }
            el("p", .class("lead")) { HTML.ledger(problem.detail) }
            el("p", .class("secondary")) { "Error code: " + el("code") { problem.code } }
            el("p") { el("a", .href(Paths.claims)) { "Go to the claims" } }
        }
        var response = HTMLPage(html, status: problem.status).response()
        for field in problem.headers { response.headers.append(field) }
        return response
    }
}
