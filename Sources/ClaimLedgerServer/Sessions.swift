import ClaimLedgerAccounts
import Synchronization

/// A logged-in browser: the account with its unlocked signing key (which never leaves the server), the
/// session's CSRF token, and when it ends.
public struct WebSession: Sendable {
    public let id: String
    public let user: UnlockedAccount
    /// The token every form of this session carries in its hidden `csrf` field.
    public let csrf: String
    public let created: Double
    public fileprivate(set) var lastSeen: Double
    /// A one-time message for the next page at `notice.path` (the banner after a successful POST).
    fileprivate var notice: (path: String, text: String)?

    public var account: Account { user.account }
}

/// Sessions in memory (a restart logs everybody out, and the unlocked keys go with the process). A session
/// ends at logout, after `idleLimit` seconds without a request, or `lifetime` seconds after login.
public final class SessionStore: Sendable {
    public let lifetime: Double
    public let idleLimit: Double
    public let maxSessions: Int
    private let sessions = Mutex<[String: WebSession]>([:])

    public init(lifetime: Double = 12 * 3600, idleLimit: Double = 2 * 3600, maxSessions: Int = 10_000) {
        self.lifetime = lifetime
        self.idleLimit = idleLimit
        self.maxSessions = maxSessions
    }

    /// A new session for `user`: a random 256-bit id and CSRF token.
    public func create(for user: UnlockedAccount, now: Double) -> WebSession {
        let session = WebSession(id: RandomToken.make(), user: user, csrf: RandomToken.make(), created: now, lastSeen: now)
        sessions.withLock { all in
            if all.count >= maxSessions { Self.prune(&all, now: now, lifetime: lifetime, idleLimit: idleLimit) }
            if all.count >= maxSessions, let oldest = all.values.min(by: { $0.lastSeen < $1.lastSeen }) {
                all[oldest.id] = nil
            }
            all[session.id] = session
        }
        return session
    }

    /// The live session with id `id`, its last use set to `now`; an expired one is removed.
    public func session(id: String, now: Double) -> WebSession? {
        guard RandomToken.isWellFormed(id) else { return nil }
        return sessions.withLock { all -> WebSession? in
            guard var s = all[id] else { return nil }
            guard !Self.expired(s, now: now, lifetime: lifetime, idleLimit: idleLimit) else {
                all[id] = nil
                return nil
            }
            s.lastSeen = now
            all[id] = s
            return s
        }
    }

    /// Ends a session: its unlocked signing key is dropped with it.
    public func destroy(id: String) {
        sessions.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// Leaves `text` for the next request of session `id` to `path` (the page a POST redirects to).
    public func setNotice(id: String, path: String, text: String) {
        sessions.withLock { all in all[id]?.notice = (path, text) }
    }

    /// The notice left for `path`, once.
    public func takeNotice(id: String, path: String) -> String? {
        sessions.withLock { all -> String? in
            guard let n = all[id]?.notice, n.path == path else { return nil }
            all[id]?.notice = nil
            return n.text
        }
    }

    /// Ends every session of account `name` (e.g. after its password changed).
    public func destroyAll(of name: String) {
        sessions.withLock { all in all = all.filter { $0.value.account.name != name } }
    }

    public var count: Int { sessions.withLock { $0.count } }

    private static func expired(_ s: WebSession, now: Double, lifetime: Double, idleLimit: Double) -> Bool {
        now >= s.created + lifetime || now >= s.lastSeen + idleLimit
    }

    private static func prune(_ all: inout [String: WebSession], now: Double, lifetime: Double, idleLimit: Double) {
        all = all.filter { !expired($0.value, now: now, lifetime: lifetime, idleLimit: idleLimit) }
    }
}

/// Random tokens for session ids and CSRF tokens: 32 bytes from the system's CSPRNG (getrandom on
/// Linux), base64url without padding (43 characters).
public enum RandomToken {
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return base64url(bytes)
    }

    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy(isBase64URLByte)
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out = [UInt8]()
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            for k in 0...n { out.append(alphabet[Int((v >> (18 - 6 * UInt32(k))) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isBase64URLByte(_ c: UInt8) -> Bool {
        (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x2D || c == 0x5F
    }

    /// Compares two tokens in time that depends only on their lengths, not on where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
