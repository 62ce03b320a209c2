import CanonicalJSON
import ClaimLedgerAccounts
import ClaimLedgerSite
import HTTPTypes
import Hummingbird

/// Who may write, checked on the server for every write route, in this order:
/// pages: the CSRF token (403: a POST without the session's token is never performed), then the
/// session (401), then the role (403); the API: the bearer token (401), then the role (403). The API
/// ignores cookies, so a cross-site request cannot ride on a browser's session.
enum WriteAccess {
    /// The signed-in user of a form POST whose `csrf` field is the session's token.
    static func formUser(_ request: Request, context: AppRequestContext, fields: [(String, String)], action: WriteAction?,
                         write: WriteServices) throws -> (UnlockedAccount, sessionID: String) {
        let sent = fields.first(where: { $0.0 == "csrf" })?.1 ?? ""
        guard let session = write.session(of: request), !sent.isEmpty, RandomToken.constantTimeEqual(sent, session.csrf) else {
            throw Problem(.forbidden, code: "csrf", title: "This form has expired",
                          detail: "the form was not sent with this session's security token (it may be from another site, or from before you logged in again): open the page again and resend it")
        }
        if let action, !action.allows(session.account.role) { throw roleProblem(action, session.account) }
        return (session.user, session.id)
    }

    /// The user of a form page (GET): anonymous users are sent to the login page, then back.
    static func pageUser(_ context: AppRequestContext, request: Request, action: WriteAction) throws -> UnlockedAccount? {
        guard let user = context.auth.user else { return nil }
        guard action.allows(user.account.role) else { throw roleProblem(action, user.account) }
        return user
    }

    /// The account of an API request's `Authorization: Bearer clt_...` header.
    static func apiUser(_ request: Request, action: WriteAction, write: WriteServices) throws -> UnlockedAccount {
        guard let header = request.headers[.authorization] else {
            throw unauthorized("this write needs an API token: send `Authorization: Bearer clt_...` (make one with `claimledger user token NAME`)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].utf8.count <= 256 else {
            throw unauthorized("the Authorization header must be `Bearer clt_...`")
        }
        let user: UnlockedAccount
        do throws(AccountError) { user = try write.accounts.authenticate(bearerToken: String(parts[1])) } catch { throw error.problem }
        guard action.allows(user.account.role) else { throw roleProblem(action, user.account) }
        return user
    }

    static func unauthorized(_ detail: String) -> Problem {
        var p = Problem(.unauthorized, code: "unauthorized", title: "Log in first", detail: detail)
        p.headers[.wwwAuthenticate] = "Bearer realm=\"claimledger\""
        return p
    }

    static func roleProblem(_ action: WriteAction, _ account: Account) -> Problem {
        Problem(.forbidden, code: "forbidden", title: "Not allowed for your role",
                detail: "\(account.name) is a \(account.role.rawValue): only an editor may \(action == .review ? "review a verdict" : "do this")")
    }

    /// Where an anonymous user of a form page goes: the login page, which comes back here after.
    static func loginRedirect(_ request: Request) -> Response {
        let back = request.uri.string
        return Response.redirect(to: Paths.with(Paths.login, [("next", back)]).value, type: .normal)
    }
}

extension AccountError: ProblemConvertible {
    public var problem: Problem {
        switch code.rawValue {
        case "throttled":
            var p = Problem(.tooManyRequests, code: "throttled", title: "Too many attempts",
                            detail: message + (retryAfter.map { ": try again in \($0) s" } ?? ""))
            if let s = retryAfter {
                p.headers[.retryAfter] = String(s)
                p.extra["retryAfter"] = .number(Double(s))
            }
            return p
        case "storage", "permissions":
            return Problem(.serviceUnavailable, code: code.rawValue, detail: message)
        default:
            return WriteAccess.unauthorized(message)
        }
    }
}
