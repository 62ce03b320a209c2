import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import NIOCore

/// The JSON write API (app-contract.md section 4), authenticated by bearer token:
/// `POST /api/v1/claims`, `/api/v1/claims/{id}/statuses|positions|links|corrections|retraction|reviews`.
/// Bodies are JSON objects read strictly (unknown members, wrong types and oversized values are 4xx);
/// `201 Created` answers with the CLI's `--json` shape `{id, entries: [{seq, hash, type}]}` once the
/// entries are durable; errors are RFC 9457 problems with the CLI's stable codes.
enum WriteAPIRoutes {
    static let claimActions: [(String, WriteAction)] = [
        ("statuses", .status), ("positions", .position), ("links", .link), ("corrections", .correct), ("retraction", .retract),
        ("reviews", .review),
    ]

    /// JSON bodies: small objects of text (a quote or rationale is at most 16 KiB).
    static let limits = JSONLimits(maxBytes: 192 * 1024, maxDepth: 4, maxStringBytes: LedgerLimits.maxTextBytes, maxContainerCount: 128)

    static func register(on router: Router<AppRequestContext>, services: AppServices, write: WriteServices) {
        router.post("/api/v1/claims") { request, context -> Response in
            try await handle(.claim, claim: nil, request: request, context: context, services: services, write: write)
        }
        for (path, action) in claimActions {
            router.post(RouterPath("/api/v1/claims/:id/\(path)")) { request, context -> Response in
                let id = context.parameters.get("id") ?? ""
                return try await handle(action, claim: id, request: request, context: context, services: services, write: write)
            }
        }
    }

    static func handle(_ action: WriteAction, claim: String?, request: Request, context: AppRequestContext, services: AppServices,
                       write: WriteServices) async throws -> Response {
        let user = try WriteAccess.apiUser(request, action: action, write: write)
        if let claim {
            guard WriteAction.isClaimID(claim), try services.view.snapshot().state.claims[claim] != nil else {
                throw Problem(.notFound, code: "unknown-claim", detail: "no claim \"\(claim.prefix(64))\" in this ledger")
            }
        }
        let body = try await jsonBody(request, context: context)
        let today = Timestamp(secondsSinceEpoch: Int64(write.now())).date
        let entries: [SignedEntry]
        do {
            let draft = try action.draft(claim: claim, fields: try WriteFields(json: body), today: today)
            entries = try await write.writer.submit([draft], key: user.signingKey)
        } catch {
            guard let refusal = WriteRefusal.ledger(error, action: action, claim: claim) else { throw error }
            throw problem(refusal)
        }
        let id = claim ?? WriteFormRoutes.createdClaimID(entries) ?? ""
        let json: JSONValue = ["id": .string(id), "entries": .array(entries.map {
            ["seq": .number(Double($0.entry.seq)), "hash": .string($0.hash.hex), "type": .string($0.entry.type.rawValue)]
        })]
        let bytes = try JCS.canonicalize(json)
        return Response(status: .created, headers: [.contentType: "application/json", .location: "/api/v1/claims/" + Paths.encode(id)],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The request's JSON object: `application/json`, within the size limit, parsed strictly.
    static func jsonBody(_ request: Request, context: AppRequestContext) async throws -> JSONValue {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, code: "invalid-input", detail: "send the body as application/json")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limits.maxBytes)
        } catch {
            throw Problem(.contentTooLarge, code: "limit-exceeded", detail: "the body is longer than \(limits.maxBytes) bytes")
        }
        do {
            return try JSONParser.parse(Array(buffer.readableBytesView), limits: limits)
        } catch {
            throw Problem(.badRequest, code: "json", detail: "the body is not valid JSON: \(error)")
        }
    }

    static func problem(_ r: WriteRefusal) -> Problem {
        var p = Problem(HTTPResponse.Status(code: r.status), code: r.code, title: r.title, detail: r.detail)
        if !r.errors.isEmpty {
            p.extra["errors"] = .array(r.errors.map { ["field": .string($0.field), "message": .string($0.message)] })
        }
        return p
    }
}
