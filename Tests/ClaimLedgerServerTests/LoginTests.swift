@testable import ClaimLedgerServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct LoginTests {
    @Test func loginSetsAStrictHttpOnlySessionCookieAndLogoutEndsIt() async throws {
        let newsroom = try Newsroom()
        let sessions = SessionStore()
        try await newsroom.app(sessions: sessions).test(.router) { client in
            let browser = Browser(client)
            let form = try await browser.get("/login")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"name\"") && form.body.contains("name=\"password\""))
            let answer = try await browser.post("/login", [("csrf", form.csrf ?? ""), ("name", "desk"), ("password", Newsroom.password)])
            #expect(answer.status == .seeOther)
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("clsession=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            let id = try #require(browser.cookie("clsession"))
            #expect(id.utf8.count == 43)  // 256 random bits, base64url
            #expect(sessions.count == 1)

            let page = try await browser.get("/claims/drone-claim/status")
            #expect(page.status == .ok)
            #expect(page.body.contains("<span id=\"whoami\">"))
            #expect(page.body.contains("desk"))

            let csrf = try #require(page.csrf)
            let out = try await browser.post("/logout", [("csrf", csrf)])
            #expect(out.status == .seeOther)
            #expect(sessions.count == 0)
            // The old cookie no longer opens anything.
            browser.setCookie("clsession", id)
            let after = try await browser.get("/claims/drone-claim/status")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/login") == true)
        }
    }

    @Test func aWrongPasswordShowsTheErrorBesideTheForm() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            let page = try await browser.login("desk", password: "not the password")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("<div class=\"error-summary\" role=\"alert\""))
            #expect(page.body.contains("<p class=\"field-error\" id=\"password-error\">"))
            #expect(page.body.contains("value=\"desk\""))  // the name is kept, the password is not
            #expect(!page.body.contains("not the password"))
            #expect(browser.cookie("clsession") == nil)
            let empty = try await browser.post("/login", [("csrf", try #require(try await browser.get("/login").csrf)), ("name", ""), ("password", "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("id=\"name-error\"") && empty.body.contains("id=\"password-error\""))
        }
    }

    @Test func repeatedFailuresAreThrottledWithTryAgainIn() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            var last: Browser.Page?
            for _ in 0..<12 {
                last = try await browser.login("desk", password: "wrong")
                if last?.status == .tooManyRequests { break }
            }
            let page = try #require(last)
            #expect(page.status == .tooManyRequests)
            #expect(page.body.contains("try again in"))
            #expect(page.headers[.retryAfter] != nil)
            // Even the right password waits now.
            #expect(try await browser.login("desk").status == .tooManyRequests)
        }
    }

    @Test func loginWithoutTheFormsTokenIsRefused() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.get("/login")
            let page = try await browser.post("/login", [("name", "desk"), ("password", Newsroom.password)])
            #expect(page.status == .forbidden)
            #expect(browser.cookie("clsession") == nil)
        }
    }

    @Test func sessionsExpireAfterTheirIdleLimit() async throws {
        let newsroom = try Newsroom()
        try await newsroom.app(sessions: SessionStore(lifetime: 3600, idleLimit: 600)).test(.router) { client in
            let browser = Browser(client)
            try await browser.login("desk")
            #expect(try await browser.get("/new-claim").status == .ok)
            newsroom.clock.advance(601)
            let page = try await browser.get("/new-claim")
            #expect(page.status == .seeOther)
            #expect(page.location?.hasPrefix("/login?next=") == true)
        }
    }

    @Test func loginGoesBackOnlyToPagesOfThisSite() {
        #expect(LoginRoutes.safeNext("/new-claim?source=ab") == "/new-claim?source=ab")
        #expect(LoginRoutes.safeNext("//evil.example/x") == "/claims")
        #expect(LoginRoutes.safeNext("https://evil.example/") == "/claims")
        #expect(LoginRoutes.safeNext("/\\evil.example") == "/claims")
    }
}
