import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite
import ClaimLedgerStorage
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem: `{type, title, status, detail, code}` with the CLI's stable codes
/// (LedgerError, StoreError, and the server's own: `not-found`, `bad-request`, `forbidden`, ...).
/// API routes answer with `application/problem+json`; pages show the same in HTML (ErrorMiddleware).
public struct Problem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var title: String
    public var detail: String
    /// Extra members (for example `field` for a form field, `retryAfter`).
    public var extra: [String: JSONValue] = [:]
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, title: String? = nil, detail: String) {
        self.status = status
        self.code = code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
    }

    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, code: "not-found", detail: detail) }
    public static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, code: "invalid-input", detail: detail) }
    public static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, code: "forbidden", detail: detail) }
    public static func unauthorized(_ detail: String) -> Problem { Problem(.unauthorized, code: "unauthorized", detail: detail) }

    public var json: JSONValue {
        var o: [String: JSONValue] = ["type": .string("urn:claimledger:problem:" + code), "title": .string(title),
                                      "status": .number(Double(status.code)), "detail": .string(detail), "code": .string(code)]
        for (k, v) in extra where o[k] == nil { o[k] = v }
        return .object(o)
    }
}

/// An error type of another module that knows its problem (the write side makes AccountError one).
public protocol ProblemConvertible: Error {
    var problem: Problem { get }
}

extension Problem {
    /// The problem for any error a handler throws. Rule failures of input are 4xx with the CLI's code;
    /// a ledger that does not verify is 503; anything unknown is 500 (a bug: logged by the caller).
    public static func from(_ error: any Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case let c as ProblemConvertible: return c.problem
        case let e as LedgerError: return from(e)
        case let e as StoreError: return from(e)
        case let e as HTTPError:
            let code = switch e.status.code {
            case 404: "not-found"
            case 405: "method-not-allowed"
            case 413: "too-large"
            case 401: "unauthorized"
            case 403: "forbidden"
            default: e.status.code < 500 ? "invalid-input" : "internal"
            }
            return Problem(e.status, code: code, detail: e.body ?? e.status.reasonPhrase)
        default:
            return Problem(.internalServerError, code: "internal", detail: "an unexpected error: this is a bug in the server; the error is logged")
        }
    }

    static func from(_ e: LedgerError) -> Problem {
        let status: HTTPResponse.Status = switch e.code {
        case .unknownClaim, .unknownSource, .unknownEntry: .notFound
        case .duplicateID, .staleReview, .duplicateKeyName: .conflict
        case .unknownSigner, .revokedSigner, .unauthorizedSigner: .forbidden
        case .invalidInput, .json, .malformedLine, .lineTooLong, .empty: .badRequest
        case .limitExceeded, .invalidPayload, .misleadingText, .quoteNotFound, .quoteAmbiguous, .quoteMismatch, .unknownLabel,
             .claimRetracted, .sameSigner, .linkCycle, .invalidKey, .unknownProposal, .selfApproval, .invalidEntry, .timeBackwards:
            .unprocessableContent
        case .notCanonical, .tornLine, .seqMismatch, .prevMismatch, .hashMismatch, .rollback, .historyRewritten, .checkpointRejected,
             .checkpointMismatch, .badSignature, .genesisMismatch, .sourceMissing, .sourceDigestMismatch:
            .serviceUnavailable
        }
        return Problem(status, code: e.code.rawValue, detail: e.reason)
    }

    static func from(_ e: StoreError) -> Problem {
        let status: HTTPResponse.Status = switch e.code {
        case .unsafePath, .exists, .ledgerExists: .badRequest
        case .fileTooLarge: .contentTooLarge
        case .noLedger, .io, .keyFile, .keyPermissions, .tornLedger, .invalidLedger: .serviceUnavailable
        }
        return Problem(status, code: e.code.rawValue, detail: e.reason)
    }

    /// The problem as an `application/problem+json` response.
    public func response() -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let bytes = (try? JCS.canonicalize(json)) ?? Array(#"{"code":"internal","status":500}"#.utf8)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
