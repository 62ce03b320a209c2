/// Login throttling, kept per account name and per client (e.g. the client's IP address): pure logic
/// over an injected clock (`now`, seconds on any monotonic or wall scale).
///
/// Every attempt counts as a failure when it starts (`begin`), so parallel guesses cannot slip past the
/// limit before their outcome is known; a successful login clears its account's count and takes its
/// attempt back from the client's. Once a name or a client has `freeFailures` failures, each further
/// attempt must wait `baseDelay * 2^(failures - freeFailures)` seconds after the last failure, at most
/// `maxDelay`. A count is forgotten `forgetAfter` seconds after its last failure.
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable, Equatable {
        public var freeFailures: Int
        public var baseDelay: Double
        public var maxDelay: Double
        public var forgetAfter: Double

        public init(freeFailures: Int, baseDelay: Double, maxDelay: Double, forgetAfter: Double) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.forgetAfter = forgetAfter
        }

        /// 5 free failures, then 1 s, 2 s, 4 s ... up to 15 minutes; forgotten after a quiet hour.
        public static let perAccount = Policy(freeFailures: 5, baseDelay: 1, maxDelay: 900, forgetAfter: 3600)
        /// A client may fail 20 times (a shared newsroom address serves many people) before backing off.
        public static let perClient = Policy(freeFailures: 20, baseDelay: 1, maxDelay: 900, forgetAfter: 3600)

        /// Seconds after the last failure before the next attempt is allowed.
        func delay(failures: Int) -> Double {
            guard failures >= freeFailures else { return 0 }
            let exponent = min(failures - freeFailures, 30)
            return min(maxDelay, baseDelay * Double(1 << exponent))
        }
    }

    struct Record: Sendable {
        var failures: Int
        var lastFailure: Double
    }

    public let accountPolicy: Policy
    public let clientPolicy: Policy
    /// Records kept per table at most; past it, the forgotten ones go, then the oldest half.
    public let maxRecords: Int
    private var accounts: [String: Record] = [:]
    private var clients: [String: Record] = [:]

    public init(account: Policy = .perAccount, client: Policy = .perClient, maxRecords: Int = 10_000) {
        accountPolicy = account
        clientPolicy = client
        self.maxRecords = maxRecords
    }

    /// Seconds to wait before `account` may be tried from `client` (rounded up, at least 1), or nil if
    /// an attempt is allowed now.
    public func retryAfter(account: String, client: String, now: Double) -> Int? {
        let wait = max(Self.wait(accounts[account], accountPolicy, now), Self.wait(clients[client], clientPolicy, now))
        guard wait > 0 else { return nil }
        return max(1, Int(wait.rounded(.up)))
    }

    /// Starts an attempt: nil and the attempt counted as a failure, or the seconds to wait (nothing counted).
    public mutating func begin(account: String, client: String, now: Double) -> Int? {
        if let wait = retryAfter(account: account, client: client, now: now) { return wait }
        Self.fail(&accounts, account, accountPolicy, now, maxRecords)
        Self.fail(&clients, client, clientPolicy, now, maxRecords)
        return nil
    }

    /// The attempt `begin` counted succeeded.
    public mutating func succeeded(account: String, client: String) {
        accounts[account] = nil
        if let record = clients[client] {
            clients[client] = record.failures <= 1 ? nil : Record(failures: record.failures - 1, lastFailure: record.lastFailure)
        }
    }

    /// Failures counted now for `account` (0 once forgotten).
    public func failures(account: String, now: Double) -> Int {
        guard let r = accounts[account], now - r.lastFailure < accountPolicy.forgetAfter else { return 0 }
        return r.failures
    }

    private static func wait(_ record: Record?, _ policy: Policy, _ now: Double) -> Double {
        guard let record, now - record.lastFailure < policy.forgetAfter else { return 0 }
        return record.lastFailure + policy.delay(failures: record.failures) - now
    }

    private static func fail(_ table: inout [String: Record], _ key: String, _ policy: Policy, _ now: Double, _ maxRecords: Int) {
        var record = table[key] ?? Record(failures: 0, lastFailure: now)
        if now - record.lastFailure >= policy.forgetAfter { record.failures = 0 }
        record.failures += 1
        record.lastFailure = max(record.lastFailure, now)
        table[key] = record
        guard table.count > maxRecords else { return }
        table = table.filter { now - $0.value.lastFailure < policy.forgetAfter }
        if table.count > maxRecords {
            let newest = table.sorted { $0.value.lastFailure > $1.value.lastFailure }.prefix(maxRecords / 2)
            table = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
            table[key] = record
        }
    }
}
