/// Every URL of the site, built in one place (app-contract.md section 4), with ids and query values
/// percent-encoded, so that no page builds a link by hand.
public enum Paths {
    public static let claims = SitePath("/claims")
    public static let sources = SitePath("/sources")
    public static let audit = SitePath("/audit")
    public static let review = SitePath("/review")
    public static let login = SitePath("/login")
    public static let logout = SitePath("/logout")
    public static let newClaim = SitePath("/new-claim")

    public static func claim(_ id: String) -> SitePath { SitePath("/claims/" + encode(id)) }
    public static func claimAction(_ id: String, _ action: StaticString) -> SitePath { SitePath("/claims/\(encode(id))/\(action)") }
    public static func source(_ id: String) -> SitePath { SitePath("/sources/" + encode(id)) }
    /// A source's archived bytes: the API on the server, `sources/sha256/<digest>` on a static site.
    public static func sourceBytes(_ id: String) -> SitePath { SitePath("/api/v1/sources/\(encode(id))/text") }
    /// A source page scrolled to a byte offset's mark.
    public static func source(_ id: String, mark start: Int) -> SitePath { SitePath("/sources/\(encode(id))#q\(start)") }
    /// The claim's JSON twin: the API's claim document on the server, the claim's export document
    /// (with its proofs) on a static site.
    public static func claimJSON(_ id: String) -> SitePath { SitePath("/api/v1/claims/" + encode(id)) }
    public static let stylesheet = SitePath("/static/app.css")
    public static let appScript = SitePath("/static/app.js")
    public static let verifyScript = SitePath("/static/verify.js")
    public static let filterScript = SitePath("/static/filter.js")
    public static let atomFeed = SitePath("/feed.atom")
    public static let jsonFeed = SitePath("/feed.json")
    public static let exportDocument = SitePath("/export.json")
    public static let openAPI = SitePath("/api/v1/openapi.json")
    public static func claims(query: [(String, String)]) -> SitePath { with(claims, query) }

    public static func with(_ path: SitePath, _ query: [(String, String)]) -> SitePath {
        let items = query.filter { !$0.1.isEmpty }
        guard !items.isEmpty else { return path }
        return SitePath(path.value + "?" + items.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&"))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
