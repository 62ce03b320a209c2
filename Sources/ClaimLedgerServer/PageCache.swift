import Hummingbird
import NIOCore
import Synchronization

/// Rendered pages for readers who are not signed in, kept until the ledger changes.
///
/// A page of the read side is a function of its URL, the view's snapshot and the page chrome. For a
/// reader without a session the chrome is always the same (no user, no CSRF token, no notice), so the
/// page is a function of the URL and the snapshot's `generation` alone: the cache keys bytes by the
/// request target and throws every page away as soon as the generation moves on (a write by the
/// server or by the CLI, a new checkpoint). Signed-in readers' pages are never cached.
///
/// Bounded: pages over `maxPageBytes` are not kept, and when the kept bytes would pass `maxBytes`
/// the cache starts again empty (a sweep costs one render per page afterwards, never memory).
public final class PageCache: Sendable {
    public let maxBytes: Int
    public let maxPageBytes: Int
    private let state = Mutex(State())

    private struct State {
        var generation = -1
        var pages: [String: ByteBuffer] = [:]
        var bytes = 0
        var hits = 0
        var misses = 0
    }

    public init(maxBytes: Int = 32 * 1024 * 1024, maxPageBytes: Int = 1024 * 1024) {
        self.maxBytes = maxBytes
        self.maxPageBytes = maxPageBytes
    }

    /// Hits and misses since the start (for tests and the log).
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The page for `request`: from the cache when the reader has no session and the page was
    /// rendered at `generation`; otherwise `render()`'s, kept for the next reader when it may be.
    func response(_ request: Request, context: AppRequestContext, generation: Int,
                  render: () throws -> HTMLPage) throws -> Response {
        let auth = context.auth
        guard request.method == .get, auth.user == nil, auth.csrfToken == nil, auth.notice == nil else {
            return try render().response()
        }
        let key = request.uri.string
        if let page = lookup(key, generation: generation) { return Self.response(page) }
        let page = try render()
        let body = ByteBuffer(bytes: page.html.bytes)
        if page.status == .ok { keep(key, body, generation: generation) }
        return Self.response(body, status: page.status)
    }

    private func lookup(_ key: String, generation: Int) -> ByteBuffer? {
        state.withLock { s in
            guard s.generation == generation, let page = s.pages[key] else {
                s.misses += 1
                return nil
            }
            s.hits += 1
            return page
        }
    }

    private func keep(_ key: String, _ body: ByteBuffer, generation: Int) {
        let size = body.readableBytes + key.utf8.count
        guard size <= maxPageBytes else { return }
        state.withLock { s in
            if generation > s.generation {
                s = State(generation: generation, hits: s.hits, misses: s.misses)
            } else if generation < s.generation {
                return  // rendered from a snapshot the cache has already moved past
            }
            if s.bytes + size > maxBytes { s.pages.removeAll(); s.bytes = 0 }
            if let old = s.pages.updateValue(body, forKey: key) { s.bytes -= old.readableBytes + key.utf8.count }
            s.bytes += size
        }
    }

    private static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: body))
    }
}
