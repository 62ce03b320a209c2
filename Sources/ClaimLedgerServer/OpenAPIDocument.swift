import CanonicalJSON
import HTTPTypes
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json and committed as
/// schemas/openapi.json (byte for byte what the server serves: a test compares them, and
/// `CLAIMLEDGER_UPDATE_OPENAPI=1 swift test --filter OpenAPI` rewrites the committed copy).
///
/// TWO EDITORS: the document is assembled from JSON fragments in separate files, so that the read side
/// and the write side never edit the same lines:
/// - OpenAPIBase.swift: info, servers, shared components (problem, parameters, read schemas);
/// - OpenAPIReadPaths.swift: the read routes' `paths` (read side);
/// - OpenAPIWritePaths.swift: the write routes' `paths`, security schemes and request schemas (write side).
/// A test checks that every /api/v1 route the router registers is in `paths` and every path is routed.
public enum OpenAPIDocument {
    /// The document as canonical JSON (RFC 8785), built once.
    public static let bytes: [UInt8] = {
        do { return try JCS.canonicalize(document()) } catch { fatalError("the OpenAPI fragments are not valid JSON: \(error)") }
    }()

    public static func document() throws -> JSONValue {
        guard case .object(var doc) = try JSONParser.parse(OpenAPIBase.json) else { throw Problem.badRequest("base is not an object") }
        var paths = [String: JSONValue]()
        for fragment in [OpenAPIReadPaths.json, OpenAPIWritePaths.pathsJSON] {
            guard case .object(let more) = try JSONParser.parse(fragment) else { throw Problem.badRequest("a paths fragment is not an object") }
            for (path, item) in more {
                guard case .object(var operations) = paths[path] ?? .object([:]), case .object(let added) = item else { continue }
                for (method, op) in added { operations[method] = Self.withURLLimit(op) }
                paths[path] = .object(operations)
            }
        }
        doc["paths"] = .object(paths)
        if case .object(var components) = doc["components"] ?? .object([:]),
           case .object(let extra) = try JSONParser.parse(OpenAPIWritePaths.componentsJSON) {
            for (section, value) in extra {
                guard case .object(var existing) = components[section] ?? .object([:]), case .object(let adding) = value else { continue }
                for (k, v) in adding { existing[k] = v }
                components[section] = .object(existing)
            }
            doc["components"] = .object(components)
        }
        return .object(doc)
    }

    /// Every request passes the same guard before its route (`RequestGuardMiddleware`): a URL over
    /// `ServerLimits.maxQueryBytes` is a 414 problem, whatever the operation, so each one documents it.
    static func withURLLimit(_ operation: JSONValue) -> JSONValue {
        guard case .object(var op) = operation, case .object(var responses) = op["responses"] ?? .object([:]) else { return operation }
        if responses["414"] == nil { responses["414"] = .object(["$ref": .string("#/components/responses/Problem")]) }
        op["responses"] = .object(responses)
        return .object(op)
    }

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The (path, method) pairs the document describes, paths in OpenAPI form (`/claims/{id}`).
    public static func operations() throws -> Set<String> {
        guard case .object(let paths) = try document()["paths"] ?? .null else { return [] }
        var out = Set<String>()
        for (path, item) in paths {
            guard case .object(let ops) = item else { continue }
            for method in ops.keys where ["get", "post", "put", "patch", "delete"].contains(method) { out.insert(method.uppercased() + " " + path) }
        }
        return out
    }
}
