import ClaimLedgerAccounts
import ClaimLedgerCore
import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import LedgerCrypto

/// The write forms (app-contract.md section 4): `GET|POST /new-claim` (`POST /claims`),
/// `/claims/{id}/status|position|link|correct|retract`, `POST /claims/{id}/review`. On bad input the
/// form comes back with the user's input and the errors beside the fields, and nothing is recorded; on
/// success a 303 to the claim page, which shows a notice.
enum WriteFormRoutes {
    static let claimActions: [(String, WriteAction)] = [
        ("status", .status), ("position", .position), ("link", .link), ("correct", .correct), ("retract", .retract),
    ]

    static func register(on router: Router<AppRequestContext>, services: AppServices, write: WriteServices) {
        router.get("/new-claim") { request, context -> Response in
            guard let user = try WriteAccess.pageUser(context, request: request, action: .claim) else { return WriteAccess.loginRedirect(request) }
            _ = user
            let snapshot = try services.view.snapshot()
            let (form, selection) = try NewClaimSelection.prefill(request, snapshot: snapshot, view: services.view)
            return WriteFormPages.response(.claim, claim: nil, form: form, selection: selection, snapshot: snapshot,
                                           services: services, context: context, status: form.errors.isEmpty ? .ok : .unprocessableContent)
        }
        router.post("/claims") { request, context -> Response in
            try await post(.claim, claim: nil, request: request, context: context, services: services, write: write)
        }
        for (path, action) in claimActions {
            router.get(RouterPath("/claims/:id/\(path)")) { request, context -> Response in
                guard try WriteAccess.pageUser(context, request: request, action: action) != nil else { return WriteAccess.loginRedirect(request) }
                let snapshot = try services.view.snapshot()
                let id = try claimID(context, snapshot: snapshot)
                var form = FormState()
                if [.position, .correct].contains(action), let q = snapshot.state.claims[id]?.payload.quotes.first {
                    form.values["source"] = q.source.hex
                }
                return WriteFormPages.response(action, claim: id, form: form, selection: nil, snapshot: snapshot, services: services,
                                               context: context, status: .ok)
            }
            router.post(RouterPath("/claims/:id/\(path)")) { request, context -> Response in
                let id = try claimID(context, snapshot: try services.view.snapshot())
                return try await post(action, claim: id, request: request, context: context, services: services, write: write)
            }
        }
        router.post("/claims/:id/review") { request, context -> Response in
            let id = try claimID(context, snapshot: try services.view.snapshot())
            return try await post(.review, claim: id, request: request, context: context, services: services, write: write)
        }
    }

    /// The claim named by the path, which must be recorded (404 otherwise).
    static func claimID(_ context: AppRequestContext, snapshot: ViewSnapshot) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard WriteAction.isClaimID(id), snapshot.state.claims[id] != nil else {
            throw Problem(.notFound, code: "unknown-claim", title: "No such claim", detail: "no claim \"\(id.prefix(64))\" in this ledger")
        }
        return id
    }

    static func post(_ action: WriteAction, claim: String?, request: Request, context: AppRequestContext, services: AppServices,
                     write: WriteServices) async throws -> Response {
        let pairs = try await WriteForms.fields(request, context: context)
        let (user, sessionID) = try WriteAccess.formUser(request, context: context, fields: pairs, action: action, write: write)
        var context = context
        context.auth.user = user
        let today = Timestamp(secondsSinceEpoch: Int64(write.now())).date
        do {
            let draft = try action.draft(claim: claim, fields: WriteFields(form: pairs), today: today)
            let entries = try await write.writer.submit([draft], key: user.signingKey)
            let id = claim ?? createdClaimID(entries) ?? ""
            let target = Paths.claim(id).value
            write.sessions.setNotice(id: sessionID, path: target, text: notice(action, entries: entries))
            return Response.redirect(to: target, type: .normal)
        } catch {
            guard let refusal = WriteRefusal.ledger(error, action: action, claim: claim) else { throw error }
            if refusal.errors.isEmpty && (refusal.status == 403 || refusal.status == 404 || refusal.status == 503) {
                throw Problem(HTTPResponse.Status(code: refusal.status), code: refusal.code, title: refusal.title, detail: refusal.detail)
            }
            let errors = refusal.errors.isEmpty ? [FieldError("body", WriteRefusal.sentence(refusal.detail))] : refusal.errors
            let form = FormState(posted: pairs, errors: errors)
            let snapshot = try services.view.snapshot()
            var selection: NewClaimSelection?
            if action == .claim { selection = NewClaimSelection.fromPosted(form, snapshot: snapshot, view: services.view) }
            let choices = refusal.code == LedgerError.Code.quoteAmbiguous.rawValue
                ? NewClaimSelection.occurrences(form, snapshot: snapshot, view: services.view) : []
            if action == .review {
                return ReviewQueue.response(services: services, context: context, form: form, claim: claim, status: HTTPResponse.Status(code: refusal.status))
            }
            return WriteFormPages.response(action, claim: claim, form: form, selection: selection, choices: choices, snapshot: snapshot,
                                           services: services, context: context, status: HTTPResponse.Status(code: refusal.status))
        }
    }

    static func createdClaimID(_ entries: [SignedEntry]) -> String? {
        for e in entries { if case .claim(let c) = e.entry.payload { return c.id } }
        return nil
    }

    static func notice(_ action: WriteAction, entries: [SignedEntry]) -> String {
        let what = switch action {
        case .claim: "The claim is recorded"
        case .status: "The status is recorded"
        case .position: "The position is recorded"
        case .link: "The link is recorded"
        case .correct: "The correction is recorded"
        case .retract: "The claim is retracted"
        case .review: "The review is recorded"
        }
        let seqs = entries.map { "#\($0.entry.seq)" }.joined(separator: ", ")
        return "\(what): signed ledger entr\(entries.count == 1 ? "y" : "ies") \(seqs)."
    }
}
