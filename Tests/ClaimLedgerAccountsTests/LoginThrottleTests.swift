import ClaimLedgerAccounts
import Testing

/// The throttle's rules on an injected clock.
@Suite struct LoginThrottleTests {
    @Test func fiveFreeFailuresThenExponentialBackoff() {
        var t = LoginThrottle()
        for i in 0..<5 { #expect(t.begin(account: "alice", client: "ip", now: Double(i)) == nil) }
        // Fifth failure at t=4: the next attempt waits 1 s, then 2 s, 4 s, 8 s after each new failure.
        #expect(t.begin(account: "alice", client: "ip", now: 4.2) == 1)
        #expect(t.retryAfter(account: "alice", client: "ip", now: 4.2) == 1)
        var now = 5.0
        for expected in [2, 4, 8, 16] {
            #expect(t.begin(account: "alice", client: "ip", now: now) == nil)
            #expect(t.begin(account: "alice", client: "ip", now: now) == expected)
            now += Double(expected)
        }
        #expect(t.failures(account: "alice", now: now) == 9)
    }

    @Test func backoffIsCappedAndForgotten() {
        var t = LoginThrottle()
        var now = 0.0
        for _ in 0..<40 {
            if let wait = t.begin(account: "a", client: "c", now: now) { now += Double(wait) } else { now += 0 }
        }
        #expect((t.retryAfter(account: "a", client: "c", now: now) ?? 0) <= 900)
        // An hour without failures forgets them.
        #expect(t.retryAfter(account: "a", client: "c", now: now + 3600) == nil)
        #expect(t.failures(account: "a", now: now + 3600) == 0)
    }

    @Test func successClearsTheAccountButNotOtherClientsFailures() {
        var t = LoginThrottle()
        for _ in 0..<4 { _ = t.begin(account: "alice", client: "ip", now: 0) }
        #expect(t.begin(account: "alice", client: "ip", now: 0) == nil)
        t.succeeded(account: "alice", client: "ip")
        #expect(t.failures(account: "alice", now: 0) == 0)
        #expect(t.begin(account: "alice", client: "ip", now: 0) == nil)
    }

    @Test func oneClientGuessingManyAccountsIsThrottled() {
        var t = LoginThrottle()
        for i in 0..<20 { #expect(t.begin(account: "user\(i)", client: "203.0.113.9", now: 0) == nil) }
        #expect(t.begin(account: "user20", client: "203.0.113.9", now: 0) == 1)
        #expect(t.begin(account: "user20", client: "198.51.100.7", now: 0) == nil)
    }

    @Test func everyAttemptCountsUntilItSucceeds() {
        // Parallel guesses cannot pass the limit before their results are known.
        var t = LoginThrottle()
        for _ in 0..<5 { #expect(t.begin(account: "alice", client: "ip", now: 0) == nil) }
        #expect(t.begin(account: "alice", client: "ip", now: 0) != nil)
    }

    @Test func tablesStayBounded() {
        var t = LoginThrottle(maxRecords: 100)
        for i in 0..<1000 { _ = t.begin(account: "user\(i)", client: "client\(i)", now: Double(i)) }
        // The newest records are kept: the last account still counts its failure.
        #expect(t.failures(account: "user999", now: 999) == 1)
        #expect(t.failures(account: "user0", now: 999) == 0)
    }

    @Test func customPolicy() {
        var t = LoginThrottle(account: .init(freeFailures: 1, baseDelay: 10, maxDelay: 15, forgetAfter: 60), client: .perClient)
        #expect(t.begin(account: "a", client: "c", now: 0) == nil)
        #expect(t.begin(account: "a", client: "c", now: 0) == 10)
        #expect(t.begin(account: "a", client: "c", now: 10) == nil)
        #expect(t.begin(account: "a", client: "c", now: 10) == 15)
    }
}
