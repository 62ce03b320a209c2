import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// The request context of every route: Hummingbird's core storage, the authenticated account (set by
/// the write side's middleware: session cookie or bearer token), and the client's address (for
/// login throttling).
public struct AppRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var auth = RequestAuth()
    /// The web session's id, when the request carries a live session cookie (set by the write side).
    public var sessionID: String?
    /// The peer's IP address, when known ("unknown" otherwise).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// HummingbirdAuth's view of `auth.user`.
    public var identity: UnlockedAccount? {
        get { auth.user }
        set { auth.user = newValue }
    }

    /// Bodies decoded by Hummingbird are limited to this (forms and JSON writes are small: a claim's
    /// text fields, never a source's bytes).
    public var maxUploadSize: Int { ServerLimits.maxRequestBody }
}

public enum ServerLimits {
    /// Largest request body accepted, in bytes.
    public static let maxRequestBody = 256 * 1024
    /// Query strings longer than this are refused (400) before they are parsed.
    public static let maxQueryBytes = 4096
}
