import ClaimLedgerAccounts
import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /login`, `POST /login`, `POST /logout` (app-contract.md section 4).
enum LoginRoutes {
    static func register(on router: Router<AppRequestContext>, services: AppServices, write: WriteServices) {
        router.get("/login") { request, context -> Response in
            let next = safeNext(request.uri.queryParameters["next"].map(String.init))
            let token = request.cookies[WriteServices.loginCookie]?.value ?? ""
            let csrf = RandomToken.isWellFormed(token) ? token : RandomToken.make()
            var response = page(services, context, csrf: csrf, name: "", next: next, errors: [], status: .ok)
            if csrf != token { response.setCookie(write.loginCookie(csrf)) }
            return response
        }

        router.post("/login") { request, context -> Response in
            let fields = try await WriteForms.fields(request, context: context)
            let value = { (n: String) in fields.first(where: { $0.0 == n })?.1 ?? "" }
            let cookie = request.cookies[WriteServices.loginCookie]?.value ?? ""
            guard RandomToken.isWellFormed(cookie), RandomToken.constantTimeEqual(cookie, value("csrf")) else {
                throw Problem(.forbidden, code: "csrf", title: "This form has expired",
                              detail: "the login form was not sent with its security token: open the login page again")
            }
            let name = value("name"), password = value("password"), next = safeNext(value("next"))
            var errors = [FieldError]()
            if name.isEmpty { errors.append(FieldError("name", "Enter your user name")) }
            if password.isEmpty { errors.append(FieldError("password", "Enter your password")) }
            guard errors.isEmpty, name.utf8.count <= 64, password.utf8.count <= 1024 else {
                if errors.isEmpty { errors.append(FieldError("name", "The name or password is not right")) }
                return page(services, context, csrf: cookie, name: name, next: next, errors: errors, status: .unprocessableContent)
            }
            let user: UnlockedAccount
            do throws(AccountError) {
                user = try write.accounts.login(name: name, password: password, client: context.clientAddress, now: write.now())
            } catch {
                let problem = error.problem
                let message = error.code.rawValue == "throttled"
                    ? "Too many attempts: try again in \(error.retryAfter ?? 60) s"
                    : (problem.status.code >= 500 ? "Logging in failed on the server: try again later" : "The name or password is not right")
                var response = page(services, context, csrf: cookie, name: name, next: next,
                                    errors: [FieldError("password", message)], status: problem.status)
                for field in problem.headers { response.headers.append(field) }
                return response
            }
            if let old = write.session(of: request) { write.sessions.destroy(id: old.id) }
            let session = write.sessions.create(for: user, now: write.now())
            var response = Response.redirect(to: next, type: .normal)
            response.setCookie(write.sessionCookie(session))
            response.setCookie(write.expired(WriteServices.loginCookie))
            return response
        }

        router.post("/logout") { request, context -> Response in
            let fields = try await WriteForms.fields(request, context: context)
            var response = Response.redirect(to: Paths.claims.value, type: .normal)
            guard write.session(of: request) != nil else { return response }
            let (_, sessionID) = try WriteAccess.formUser(request, context: context, fields: fields, action: nil, write: write)
            write.sessions.destroy(id: sessionID)
            response.setCookie(write.expired(WriteServices.sessionCookie))
            return response
        }
    }

    /// A place inside this site to go back to after login (never another site: `//host` or a scheme).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.utf8.count <= 2048,
              next.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), !next.hasPrefix("/login") else { return Paths.claims.value }
        return next
    }

    static func page(_ services: AppServices, _ context: AppRequestContext, csrf: String, name: String, next: String,
                     errors: [FieldError], status: HTTPResponse.Status) -> Response {
        let form = FormState(values: ["name": name], errors: errors)
        let chrome = Chrome(context, services: services, section: .other)
        let html = Layout.page(title: errors.isEmpty ? "Log in" : "Error: Log in", chrome: chrome) {
            el("h1") { "Log in" }
            if let user = context.auth.user {
                el("p") { HTML.text("You are logged in as ") + HTML.ledger(user.account.name) + HTML.text(". Logging in again replaces that session.") }
            }
            FormViews.errorSummary(form)
            el("form", Attr("method", "post"), Attr("action", Paths.login.value), Attr("novalidate", nil)) {
                FormViews.hidden("csrf", csrf)
                FormViews.hidden("next", next)
                FormViews.input("name", label: "User name", form: form, autocomplete: "username")
                FormViews.input("password", label: "Password", form: form, type: "password", autocomplete: "current-password", keepValue: false)
                el("button", Attr("type", "submit"), .class("button")) { "Log in" }
            }
        }
        return HTMLPage(html, status: status).response()
    }
}
