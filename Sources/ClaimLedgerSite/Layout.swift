import ClaimLedgerAccounts

/// What the page layout needs to know about the request: who is signed in, the CSRF token for the
/// header's logout form, whether this server has accounts at all (a read-only server has no login),
/// a one-time notice, and which section of the site the page is in.
public struct Chrome: Sendable {
    public var user: Account?
    public var csrfToken: String?
    public var accountsEnabled: Bool
    public var notice: String?
    public var section: Section

    public enum Section: Sendable { case claims, sources, audit, review, other }

    public init(user: Account? = nil, csrfToken: String? = nil, accountsEnabled: Bool = false, notice: String? = nil,
                section: Section = .other) {
        self.user = user
        self.csrfToken = csrfToken
        self.accountsEnabled = accountsEnabled
        self.notice = notice
        self.section = section
    }
}

/// The page layout (GOV.UK-like): skip link, header with the site's name, navigation and who is
/// signed in (`<span id="whoami">`), one `<main id="main">`, a footer. Scripts and styles are static
/// files (the CSP forbids inline ones).
public enum Layout {
    /// `scripts`: further scripts of this page (the claim page's `verify.js`), after the site's own.
    public static func page(title: String, chrome: Chrome, scripts: [SitePath] = [], @HTMLBuilder main: () -> HTML) -> HTML {
        let content = main()
        let isStatic = SiteRendering.current.isStatic
        return HTML.document(el("html", Attr("lang", "en")) {
            el("head") {
                void("meta", Attr("charset", "utf-8"))
                void("meta", Attr("name", "viewport"), Attr("content", "width=device-width, initial-scale=1"))
                el("title") { title + " – " + SiteRendering.current.siteName }
                void("link", Attr("rel", "stylesheet"), .href(Paths.stylesheet))
                el("script", .href(Paths.appScript).renamed("src"), .flag("defer"))
                scripts.map { el("script", .href($0).renamed("src"), .flag("defer")) }
                if isStatic {
                    void("link", Attr("rel", "alternate"), Attr("type", "application/atom+xml"), Attr("title", "New and changed verdicts"),
                         .href(Paths.atomFeed))
                    void("link", Attr("rel", "alternate"), Attr("type", "application/feed+json"), Attr("title", "New and changed verdicts (JSON Feed)"),
                         .href(Paths.jsonFeed))
                }
            }
            el("body") {
                el("a", .class("skip-link"), Attr("href", "#main")) { "Skip to main content" }
                header(chrome)
                el("main", .id("main"), .class("wrap"), Attr("tabindex", "-1")) {
                    if let notice = chrome.notice {
                        el("div", .class("notice"), Attr("role", "status")) { HTML.ledger(notice) }
                    }
                    content
                }
                el("footer", .class("site-footer")) {
                    el("div", .class("wrap")) {
                        el("p") {
                            "Every claim, status and review here is a signed entry of a hash-chained ledger. "
                            if isStatic {
                                el("a", .href(Paths.audit)) { "How to check it" }
                                ", the whole "
                                el("a", .href(Paths.exportDocument)) { "export" }
                                ", and "
                                el("a", .href(Paths.atomFeed)) { "a feed of new verdicts" }
                                "."
                            } else {
                                el("a", .href(Paths.audit)) { "Check the ledger's verification" }
                                " or read it as JSON: "
                                el("a", .href(Paths.openAPI)) { "the API" }
                                "."
                            }
                        }
                    }
                }
            }
        })
    }

    public static func header(_ chrome: Chrome) -> HTML {
        el("header", .class("site-header")) {
            el("div", .class("wrap header-row")) {
                el("a", .class("brand"), .href(Paths.claims)) { SiteRendering.current.siteName }
                el("nav", Attr("aria-label", "Main")) {
                    el("ul") {
                        navItem("Claims", Paths.claims, current: chrome.section == .claims)
                        navItem("Sources", Paths.sources, current: chrome.section == .sources)
                        navItem(SiteRendering.current.isStatic ? "About and checking" : "Audit", Paths.audit, current: chrome.section == .audit)
                        if chrome.user?.role == .editor {
                            navItem("Review queue", Paths.review, current: chrome.section == .review)
                        }
                    }
                }
                el("div", .class("account")) {
                    if let user = chrome.user {
                        el("span", .id("whoami")) { HTML.ledger(user.name) + .text(" (\(user.role.rawValue))") }
                        el("form", Attr("method", "post"), .href(Paths.logout).renamed("action"), .class("inline")) {
                            void("input", Attr("type", "hidden"), Attr("name", "csrf"), Attr("value", chrome.csrfToken ?? ""))
                            el("button", Attr("type", "submit"), .class("link-button")) { "Log out" }
                        }
                    } else if chrome.accountsEnabled && !SiteRendering.current.isStatic {
                        el("a", .href(Paths.login)) { "Log in" }
                    }
                }
            }
        }
    }

    public static func navItem(_ label: String, _ path: SitePath, current: Bool) -> HTML {
        el("li") {
            if current {
                el("a", .href(path), Attr("aria-current", "page")) { label }
            } else {
                el("a", .href(path)) { label }
            }
        }
    }
}

extension Attr {
    /// The same value under another attribute name (`action` for a form's site path, `src` for a script).
    public func renamed(_ name: StaticString) -> Attr { Attr(name, value) }
}

