import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite
import ClaimLedgerStorage
import HTTPTypes
import Hummingbird
import LedgerCrypto
import Merkle
import NIOCore
import SignedNote

/// The read API under /api/v1: the same data as the pages, in the CLI's `--json` shapes
/// (ClaimDocuments, ProofDocuments; schemas/). Described in schemas/openapi.json.
enum ReadAPI {
    static func register(on router: Router<AppRequestContext>, services: AppServices) {
        let api = router.group("/api/v1")
        api.get("/openapi.json") { _, _ in OpenAPIDocument.response() }
        api.get("/claims") { request, _ -> Response in
            let filter = try ClaimFilter.parse(try QueryItems.of(request))
            let results = try services.search.search(filter, in: try services.view.snapshot())
            return JSONResponse.make(claimList(results))
        }
        api.get("/claims/:id") { _, context -> Response in
            let snapshot = try services.view.snapshot()
            let record = try Lookup.claim(context.parameters.get("id"), in: snapshot.state)
            return JSONResponse.make(ClaimDocuments.claim(record, in: snapshot.state))
        }
        api.get("/sources") { _, _ -> Response in
            let state = try services.view.snapshot().state
            return JSONResponse.make(.array(state.sourceOrder.compactMap { state.sources[$0] }.map(ClaimDocuments.source)))
        }
        api.get("/sources/:id") { _, context -> Response in
            let state = try services.view.snapshot().state
            return JSONResponse.make(ClaimDocuments.source(try Lookup.source(context.parameters.get("id"), in: state)))
        }
        api.get("/sources/:id/text") { _, context -> Response in
            let state = try services.view.snapshot().state
            let source = try Lookup.source(context.parameters.get("id"), in: state)
            guard let bytes = try services.view.sourceBytes(source.payload.sha256) else {
                throw Problem(.serviceUnavailable, code: "source-missing", detail: "the archived copy of \(source.payload.id) cannot be read")
            }
            let text = Parts.isText(source.payload, bytes: bytes)
            var headers: HTTPFields = [.contentType: text ? "text/plain; charset=utf-8" : "application/octet-stream"]
            if !text { headers[.contentDisposition] = "attachment; filename=\"\(source.payload.id)\"" }
            headers[.eTag] = "\"\(source.payload.id)\""
            headers[.cacheControl] = "public, max-age=86400, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.get("/verification") { _, _ -> Response in JSONResponse.make(verification(try services.view.snapshot())) }
        api.get("/keys") { _, _ -> Response in JSONResponse.make(ClaimDocuments.keys(in: try services.view.snapshot().state)) }
        api.get("/checkpoints") { _, _ -> Response in JSONResponse.make(try checkpoints(try services.view.snapshot(), services: services)) }
        api.get("/checkpoints/:size") { _, context -> Response in
            let snapshot = try services.view.snapshot()
            guard let raw = context.parameters.get("size"), let size = Int(raw), size >= 0, String(size) == raw,
                  snapshot.checkpoint?.sizes.contains(size) == true
            else { throw Problem(.notFound, code: "not-found", detail: "no stored checkpoint of that size (see /api/v1/checkpoints)") }
            return JSONResponse.make(try checkpoint(size: size, snapshot: snapshot, services: services))
        }
        api.get("/proofs/inclusion") { request, _ -> Response in
            let q = try ProofQuery(request, names: ["seq", "size"])
            let snapshot = try services.view.snapshot()
            let n = try q.int("size", default: snapshot.state.size)
            let seq = try q.int("seq", default: nil)
            guard n >= 1, n <= snapshot.state.size else { throw Problem.badRequest("size must be 1...\(snapshot.state.size), found \(n)") }
            guard seq >= 0, seq < n else { throw Problem.badRequest("seq must be 0..<\(n), found \(seq)") }
            let reader = snapshot.tree.reader(size: snapshot.state.size)
            let root = try MerkleTree.rootHash(treeSize: Int64(n), reader: reader)
            let proof = try ProofBuilder.inclusion(leafIndex: Int64(seq), treeSize: Int64(n), reader: reader)
            let leaf = try reader.readHashes([MerkleTree.storedHashIndex(level: 0, n: Int64(seq))])[0]
            try ProofVerifier.verifyInclusion(proof, leafHash: leaf, rootHash: root)
            return JSONResponse.make(ProofDocuments.inclusion(proof, leafHash: leaf, rootHash: root))
        }
        api.get("/proofs/consistency") { request, _ -> Response in
            let q = try ProofQuery(request, names: ["from", "to"])
            let snapshot = try services.view.snapshot()
            let new = try q.int("to", default: snapshot.state.size)
            let old = try q.int("from", default: nil)
            guard old >= 1, old <= new, new <= snapshot.state.size else {
                throw Problem.badRequest("sizes must satisfy 1 <= from <= to <= \(snapshot.state.size); got \(old) and \(new)")
            }
            let reader = snapshot.tree.reader(size: snapshot.state.size)
            let oldRoot = try MerkleTree.rootHash(treeSize: Int64(old), reader: reader)
            let newRoot = try MerkleTree.rootHash(treeSize: Int64(new), reader: reader)
            let proof = try ProofBuilder.consistency(oldSize: Int64(old), newSize: Int64(new), reader: reader)
            try ProofVerifier.verifyConsistency(proof, oldRoot: oldRoot, newRoot: newRoot)
            return JSONResponse.make(ProofDocuments.consistency(proof, oldRoot: oldRoot, newRoot: newRoot))
        }
    }

    /// `claim list --json`'s members for each claim, with the list's paging and each hit's extras.
    static func claimList(_ r: ClaimListResult) -> JSONValue {
        let claims: [JSONValue] = r.hits.map { c in
            var o: [String: JSONValue] = ["id": .string(c.id), "status": .string(c.status.rawValue), "claimant": .string(c.claimant),
                                          "date": .string(c.date.description), "statement": .string(c.statement), "lang": .string(c.lang),
                                          "corrected": .bool(c.corrected), "retracted": .bool(c.retracted), "reviewed": .bool(c.reviewed),
                                          "seq": .number(Double(c.seq))]
            if let v = c.verdict { o["verdict"] = .string(v) }
            if let s = c.snippet { o["snippet"] = .array(s.map { ["text": .string($0.text), "match": .bool($0.match)] }) }
            return .object(o)
        }
        return ["claims": .array(claims), "total": .number(Double(r.total)), "page": .number(Double(r.filter.page)),
                "perPage": .number(Double(r.filter.perPage))]
    }

    /// `verify --json`'s shape (schemas/verify-report.schema.json) for the view's verification.
    static func verification(_ s: ViewSnapshot) -> JSONValue {
        var o: [String: JSONValue] = ["ok": .bool(s.failure == nil), "entries": .number(Double(s.state.size)), "head": .string(s.state.head.hex),
                                      "checked": .number(Double(s.state.size)), "warningCount": .number(Double(s.warningCount)),
                                      "warnings": .array(s.warnings.map(warning)), "rootHash": .string(s.state.rootHash.hex)]
        if let cp = s.checkpoint { o["checkpoint"] = ["treeSize": .number(Double(cp.size)), "rootHash": .string(cp.rootHash.hex)] }
        if let f = s.failure {
            o["seq"] = .number(Double(s.state.size))
            o["reason"] = .string(f)
            o["code"] = .string(s.failureCode ?? "invalid-ledger")
        }
        return .object(o)
    }

    static func warning(_ w: LedgerWarning) -> JSONValue {
        var o: [String: JSONValue] = ["seq": .number(Double(w.seq)), "code": .string(w.code.rawValue), "field": .string(w.field), "reason": .string(w.reason)]
        if let c = w.codePoint { o["codePoint"] = .string(MisleadingText.label(c)) }
        return .object(o)
    }

    static func checkpoints(_ s: ViewSnapshot, services: AppServices) throws -> JSONValue {
        guard let cp = s.checkpoint else { return ["checkpoints": [], "treeSize": .number(Double(s.state.size))] }
        let list = try cp.sizes.map { try checkpoint(size: $0, snapshot: s, services: services) }
        return ["checkpoints": .array(list), "latest": .number(Double(cp.size)), "treeSize": .number(Double(s.state.size))]
    }

    /// A stored checkpoint, verified with the root keys active at its size.
    static func checkpoint(size: Int, snapshot s: ViewSnapshot, services: AppServices) throws -> JSONValue {
        let note = try CheckpointFiles(ledgerDirectory: services.view.directory).read(size: size)
        let keys = CheckpointFiles.verifierKeys(s.state, atSize: size)
        let opened: VerifiedCheckpoint
        do { opened = try Checkpoint.open(note, verifiers: keys, origin: s.state.origin ?? "") } catch {
            throw Problem(.serviceUnavailable, code: "checkpoint-rejected", detail: "the stored checkpoint of \(size) entries does not verify: \(error)")
        }
        let signers: [JSONValue] = opened.verifiedBy.map { k in
            ["keyId": .string(k.publicKey.keyID.hex), "name": .string(s.state.keys[k.publicKey.keyID]?.name ?? "")]
        }
        return ["treeSize": .number(Double(size)), "rootHash": .string(opened.checkpoint.rootHash.hex), "origin": .string(opened.checkpoint.origin),
                "signers": .array(signers), "note": .string(String(decoding: note, as: UTF8.self))]
    }
}

/// The integer parameters of a proof query: only the named ones, each at most once, decimal.
struct ProofQuery {
    let values: [String: String]

    init(_ request: Request, names: Set<String>) throws(Problem) {
        var values = [String: String]()
        for (name, value) in try QueryItems.of(request) {
            guard names.contains(name) else { throw Problem.badRequest("unknown query parameter \"\(ClaimFilter.clip(name))\": use \(names.sorted().joined(separator: " and "))") }
            guard values.updateValue(value, forKey: name) == nil else { throw Problem.badRequest("\(name) is given twice") }
        }
        self.values = values
    }

    func int(_ name: String, default fallback: Int?) throws(Problem) -> Int {
        guard let raw = values[name] else {
            if let fallback { return fallback }
            throw Problem.badRequest("\(name) is required (a whole number)")
        }
        guard raw.utf8.count <= 18, raw.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(raw) else {
            throw Problem.badRequest("\(name) must be a whole number, found \"\(ClaimFilter.clip(raw))\"")
        }
        return n
    }
}

/// Canonical JSON (RFC 8785) responses, as the CLI prints them.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? JCS.canonicalize(value)) ?? Array("null".utf8)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
