import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import NIOCore

extension Chrome {
    public init(_ context: AppRequestContext, services: AppServices, section: Section) {
        self.init(user: context.auth.user?.account, csrfToken: context.auth.csrfToken,
                  accountsEnabled: services.accountsEnabled, notice: context.auth.notice, section: section)
    }
}

/// An HTML page as a response: `text/html; charset=utf-8`, not cached (pages carry CSRF tokens).
public struct HTMLPage: ResponseGenerator {
    public var html: HTML
    public var status: HTTPResponse.Status

    public init(_ html: HTML, status: HTTPResponse.Status = .ok) {
        self.html = html
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    public func response() -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: html.bytes)))
    }
}
