import ClaimLedgerCore
import ClaimLedgerStorage

/// How a refused write is reported: its HTTP status, stable code (the CLI's), and the field it concerns
/// when there is one, so a form shows it beside that field.
public struct WriteRefusal: Error, Sendable {
    public let status: Int
    public let code: String
    public let title: String
    public let detail: String
    public let errors: [FieldError]

    public init(status: Int, code: String, title: String, detail: String, errors: [FieldError] = []) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    /// Bad input of a form or body: 422 with every field error.
    public static func input(_ e: WriteInputError) -> WriteRefusal {
        let detail = e.errors.map { $0.field == "body" ? $0.message : "\($0.field): \($0.message)" }.joined(separator: "; ")
        return WriteRefusal(status: e.code == LedgerError.Code.invalidInput.rawValue ? 422 : 400, code: e.code,
                            title: "The input is not valid", detail: detail, errors: e.errors)
    }

    /// A write the ledger refused (its `LedgerError`), or nil for an error that is not the input's fault
    /// (the server's problem: a 5xx).
    public static func ledger(_ error: any Error, action: WriteAction, claim: String?) -> WriteRefusal? {
        if let e = error as? WriteInputError { return input(e) }
        if let e = error as? WriterStopped {
            return WriteRefusal(status: 503, code: "unavailable", title: "The server is shutting down", detail: e.description)
        }
        guard let e = error as? LedgerError else {
            if let s = error as? StoreError, s.code == .fileTooLarge || s.code == .unsafePath {
                return WriteRefusal(status: 400, code: s.code.rawValue, title: "Refused", detail: s.reason)
            }
            return nil
        }
        let reason = stripItem(e.reason)
        let field = field(of: e, action: action)
        let errors = field.map { [FieldError($0, sentence(reason))] } ?? []
        switch e.code {
        case .unknownClaim where claim != nil && !reason.contains("\"to\"") && action != .link:
            return WriteRefusal(status: 404, code: e.code.rawValue, title: "No such claim", detail: reason)
        case .unauthorizedSigner:
            return WriteRefusal(status: 403, code: e.code.rawValue, title: "Your key may not sign this", detail: reason)
        case .claimRetracted, .staleReview, .sameSigner, .unknownEntry, .duplicateID, .linkCycle:
            return WriteRefusal(status: 409, code: e.code.rawValue, title: "The ledger refuses this write", detail: reason, errors: errors)
        case .invalidInput, .limitExceeded, .quoteNotFound, .quoteAmbiguous, .unknownSource, .unknownClaim, .empty, .invalidPayload,
             .misleadingText, .unknownLabel, .invalidKey, .duplicateKeyName, .quoteMismatch, .sourceMissing:
            return WriteRefusal(status: 422, code: e.code.rawValue, title: "The ledger refuses this input", detail: reason, errors: errors)
        default:
            return nil
        }
    }

    /// The form field a library error is about, when it can be told.
    static func field(of e: LedgerError, action: WriteAction) -> String? {
        let quoteField = action == .status ? "spans" : "quote"
        switch e.code {
        case .quoteNotFound, .quoteAmbiguous, .quoteMismatch: return e.reason.contains("span") ? "spans" : quoteField
        case .unknownSource, .sourceMissing: return action == .status ? "evidence" : (e.reason.contains("evidence") ? "evidence" : "source")
        case .unknownLabel: return "verdict"
        case .duplicateID: return action == .claim ? "statement" : nil
        case .linkCycle: return "to"
        case .unknownClaim: return action == .link ? "to" : nil
        case .misleadingText, .invalidPayload, .limitExceeded, .invalidInput:
            for name in ["statement", "claimant", "rationale", "reason", "note", "party", "date", "lang", "verdict", "to", "kind", "quote"]
            where e.reason.contains(".\(name)") || e.reason.contains("\(name) ") || e.reason.contains("the \(name)") {
                return name == "quote" && action == .status ? "spans" : name
            }
            return nil
        default: return nil
        }
    }

    /// "item 1: x" (the resolver's prefix for batches) is noise for one write.
    static func stripItem(_ reason: String) -> String {
        guard reason.hasPrefix("item "), let colon = reason.firstIndex(of: ":") else { return reason }
        return String(reason[reason.index(after: colon)...]).trimmingSpaces
    }

    static func sentence(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }
}
