import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /feed.atom` and `GET /feed.json`: the published verdicts as an Atom feed and a JSON Feed, the same
/// feeds as a static site's (VerdictFeeds), with links to this server's claim pages. They need the
/// publisher and the public base URL (`serve --publisher NAME --base-url URL`); without them, 404.
enum FeedRoutes {
    static func register(on router: Router<AppRequestContext>, services: AppServices) {
        router.get("/feed.atom") { _, _ -> Response in
            let (items, state, options, base) = try feedItems(services)
            return response(VerdictFeeds.atom(items, state: state, options: options, base: base), type: "application/atom+xml; charset=utf-8")
        }
        router.get("/feed.json") { _, _ -> Response in
            let (items, _, options, base) = try feedItems(services)
            let json = try JCS.canonicalize(VerdictFeeds.jsonFeed(items, options: options, base: base))
            return response(String(decoding: json, as: UTF8.self) + "\n", type: "application/feed+json; charset=utf-8")
        }
    }

    static func feedItems(_ services: AppServices) throws -> ([VerdictFeeds.Item], LedgerState, ClaimReviewOptions, String) {
        guard let options = services.config.claimReview, let base = options.baseURL else {
            throw Problem.notFound("this server publishes no feeds: start it with --publisher NAME and --base-url URL")
        }
        let state = try services.view.snapshot().state
        return (VerdictFeeds.items(state.claims.values, in: state), state, options, base)
    }

    static func response(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=60"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
