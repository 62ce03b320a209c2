import HTTPTypes
import Hummingbird
import LedgerCrypto
import NIOCore

/// The site's stylesheet and script, compiled in (StaticCSS.swift, StaticJS.swift): served from a fixed
/// table under `/static/`, so no request path ever reaches the file system. Cached by ETag.
public enum StaticAssets {
    public static let cssPath = "/static/app.css"
    public static let jsPath = "/static/app.js"

    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String
    }

    static let assets: [String: Asset] = [
        "app.css": asset(StaticCSS.text, "text/css; charset=utf-8"),
        "app.js": asset(StaticJS.text, "text/javascript; charset=utf-8"),
    ]

    static func asset(_ text: String, _ type: String) -> Asset {
        let bytes = Array(text.utf8)
        return Asset(bytes: bytes, contentType: type, etag: "\"" + SHA256.hash(bytes).hex.prefix(16) + "\"")
    }

    static func register(on router: Router<AppRequestContext>) {
        router.get("/static/:name") { request, context -> Response in
            guard let name = context.parameters.get("name"), let asset = assets[name] else {
                throw Problem.notFound("no such static file")
            }
            var headers: HTTPFields = [.contentType: asset.contentType, .cacheControl: "public, max-age=300", .eTag: asset.etag]
            if request.headers[.ifNoneMatch] == asset.etag {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
    }
}
