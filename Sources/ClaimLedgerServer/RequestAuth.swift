import ClaimLedgerAccounts

/// Who is making the request, as the write side's session middleware found out (SessionMiddleware in
/// WriteServices.swift). The read side only reads `user` (for the header's `whoami`) and `csrfToken`
/// (for the logout form in the header).
public struct RequestAuth: Sendable {
    /// The signed-in account with its unlocked signing key; nil for anonymous requests.
    public var user: UnlockedAccount?
    /// The session's CSRF token, for the forms the page renders (the header's logout form among them).
    public var csrfToken: String?
    /// A one-time message for the page (after a successful POST's 303: the claim page's banner
    /// `<div class="notice" role="status">`), left in the session for that page.
    public var notice: String?

    public init(user: UnlockedAccount? = nil, csrfToken: String? = nil, notice: String? = nil) {
        self.user = user
        self.csrfToken = csrfToken
        self.notice = notice
    }
}
