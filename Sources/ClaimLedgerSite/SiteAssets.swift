/// The files every page links to, compiled in: the stylesheet, the site's script and the claim page's
/// self-check. The server serves them under `/static/NAME`; a static site writes them to `assets/NAME`.
public enum SiteAssets {
    public struct Asset: Sendable {
        public let name: String
        public let text: String
        public let contentType: String
    }

    public static let all: [Asset] = [
        Asset(name: "app.css", text: StaticCSS.text, contentType: "text/css; charset=utf-8"),
        Asset(name: "app.js", text: StaticJS.text, contentType: "text/javascript; charset=utf-8"),
        Asset(name: "filter.js", text: FilterScript.text, contentType: "text/javascript; charset=utf-8"),
        Asset(name: "verify.js", text: VerifyScript.text, contentType: "text/javascript; charset=utf-8"),
    ]
}
