import ClaimLedgerSite
import ClaimLedgerTiles
import HTTPTypes
import Hummingbird
import NIOCore

/// The paths of `claimledger tiles` (FORMAT.md 16), served from the view as of its latest verified
/// checkpoint, so that tlog-tiles clients and `claimledger audit` can follow the newsroom's server as
/// they follow a static copy: `/checkpoint`, `/tile/<L>/<N>[.p/<W>]`, `/tile/entries/…`,
/// `/tile/signatures/…`, `/sources/sha256/<digest>`. A path is parsed strictly (one canonical path per
/// file); a tile the checkpoint does not cover is 404. Tiles never change: they are cacheable for good.
enum TileRoutes {
    static func register(on router: Router<AppRequestContext>, services: AppServices) {
        router.get("/checkpoint") { _, _ -> Response in
            guard let checkpoint = try services.view.snapshot().checkpoint else {
                throw Problem.notFound("this ledger has no signed checkpoint yet: `claimledger checkpoint --key ROOTKEY` signs one")
            }
            return bytes(checkpoint.note, type: "text/plain; charset=utf-8", cache: "public, max-age=5")
        }
        router.get("/tile/**") { _, context -> Response in
            let rest = context.parameters.getCatchAll().joined(separator: "/")
            guard let path = TilePath(rest) else { throw Problem.notFound("not a tile path: see docs/FORMAT.md 16") }
            let snapshot = try services.view.snapshot()
            guard let checkpoint = snapshot.checkpoint else { throw Problem.notFound("this ledger has no signed checkpoint yet") }
            let ledger = services.view.pageLedger(snapshot)
            guard let line = ledger.line else { throw Problem.notFound("no tile") }
            let reader = TileReader(treeSize: checkpoint.size, hashes: ledger.tree, line: line)
            guard let body = try reader.bytes(path) else {
                throw Problem.notFound("tile/\(rest) is beyond the latest checkpoint (\(checkpoint.size) entries)")
            }
            return bytes(body, type: "application/octet-stream", cache: "public, max-age=31536000, immutable")
        }
        router.get("/sources/sha256/:digest") { _, context -> Response in
            let source = try Lookup.source(context.parameters.get("digest"), in: try services.view.snapshot().state)
            guard context.parameters.get("digest") == source.payload.sha256.hex,
                  let body = try services.view.sourceBytes(source.payload.sha256) else {
                throw Problem.notFound("no archived source with that digest (give all 64 hex digits)")
            }
            return bytes(body, type: "application/octet-stream", cache: "public, max-age=31536000, immutable")
        }
    }

    static func bytes(_ body: [UInt8], type: String, cache: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: cache], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
