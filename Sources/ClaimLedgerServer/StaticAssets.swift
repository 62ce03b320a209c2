import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import LedgerCrypto
import NIOCore

/// The site's stylesheet and scripts, compiled in (`SiteAssets`): served from a fixed
/// table under `/static/`, so no request path ever reaches the file system. Cached by ETag.
public enum StaticAssets {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String
    }

    static let assets: [String: Asset] = Dictionary(uniqueKeysWithValues: SiteAssets.all.map { ($0.name, asset($0.text, $0.contentType)) })

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
