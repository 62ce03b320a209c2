/// Where the pages being rendered will be read: on the newsroom server (links are the server's paths)
/// or as files of a static site (`claimledger site`), where every link is relative to the page, so
/// that the site works from any directory of any static host and from `file://`.
///
/// The renderer reads it through `SiteRendering.current`, a task-local value: the same page functions
/// serve both, and a page never builds a link by hand (`Paths`, `Attr.href`).
public struct SiteRendering: Sendable {
    public enum Target: Sendable, Equatable {
        /// The newsroom server: links are absolute paths (`/claims/ID`).
        case server
        /// A static site: links are relative to a page `depth` directories below the site's root.
        case staticSite(depth: Int)
    }

    public var target: Target
    /// The claims that have a page (a static site publishes reviewed verdicts only); nil: every claim.
    /// A link to any other claim is shown as text, and lists leave such claims out.
    public var published: Set<String>?
    /// The name in each page's header and title: the publisher's on a static site.
    public var siteName: String

    public init(target: Target = .server, published: Set<String>? = nil, siteName: String = "ClaimLedger") {
        self.target = target
        self.published = published
        self.siteName = siteName
    }

    @TaskLocal public static var current = SiteRendering()

    public var isStatic: Bool { if case .staticSite = target { true } else { false } }

    public func isPublished(_ claim: String) -> Bool { published?.contains(claim) ?? true }

    /// The `href` of a site path: the path itself on the server; on a static site the file that holds
    /// the page (`/claims/ID` → `claims/ID.html`, `/claims` → `index.html`, `/sources` →
    /// `sources/index.html`, `/static/NAME` → `assets/NAME`), relative to the page, keeping the query
    /// and fragment (the index's filters read the query).
    public func href(_ path: SitePath) -> String {
        guard case .staticSite(let depth) = target else { return path.value }
        var rest = Substring(path.value.dropFirst())
        var suffix = ""
        if let i = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            suffix = String(rest[i...])
            rest = rest[..<i]
        }
        let up = String(repeating: "../", count: depth)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        let file: String
        switch (parts.first, parts.count) {
        case ("claims", 1): file = "index.html"
        case ("claims", 2): file = "claims/\(parts[1]).html"
        case ("sources", 1): file = "sources/index.html"
        case ("sources", 2): file = "sources/\(parts[1]).html"
        case ("static", 2): file = "assets/\(parts[1])"
        case ("audit", 1): file = "about.html"
        case ("api", 4) where parts[2] == "claims": file = "claims/\(parts[3]).json"
        case ("api", 5) where parts[2] == "sources" && parts[4] == "text": file = "sources/sha256/\(parts[3])"
        default: file = String(rest)
        }
        return up + file + suffix
    }
}
