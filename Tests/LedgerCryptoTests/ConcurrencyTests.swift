import Foundation
import LedgerCrypto
import Testing

/// Many tasks hash, sign and verify at once with shared keys; each thread uses its own
/// OpenSSL contexts, so every result must be the single-threaded one.
@Suite struct ConcurrencyTests {
    @Test func sharedKeysAcrossManyTasks() async throws {
        let keys = try (0..<3).map { _ in try Ed25519PrivateKey.generate() }
        let messages = (0..<64).map { index in Array("claim \(index)".utf8) }
        let signatures = try messages.enumerated().map { index, message in
            try keys[index % keys.count].signature(for: message)
        }
        let digests = messages.map { SHA256.hash($0) }

        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var failures = 0
                    for round in 0..<40 {
                        let index = (task * 7 + round) % messages.count
                        let key = keys[index % keys.count]
                        if SHA256.hash(messages[index]) != digests[index] { failures += 1 }
                        if !key.publicKey.isValidSignature(signatures[index], for: messages[index]) { failures += 1 }
                        // A wrong key, then the right one again: the cached context must follow.
                        let wrong = keys[(index + 1) % keys.count].publicKey
                        if wrong.isValidSignature(signatures[index], for: messages[index]) { failures += 1 }
                        if round % 8 == 0, try key.signature(for: messages[index]) != signatures[index] { failures += 1 }
                        let stream = SHA256Stream()
                        stream.update(messages[index])
                        if stream.finalize() != digests[index] { failures += 1 }
                    }
                    return failures
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test func keysReleasedOnOtherThreadsStayUsable() async throws {
        // A key used (and cached) on a worker thread, then released, must not confuse the
        // next key verified on that thread.
        for _ in 0..<20 {
            let key = try Ed25519PrivateKey.generate()
            let message = Array("short-lived".utf8)
            let signature = try key.signature(for: message)
            let verified = await Task.detached { key.publicKey.isValidSignature(signature, for: message) }.value
            #expect(verified)
        }
    }

    @Test func shortLivedThreadsFreeTheirContexts() throws {
        // Each thread makes its contexts on first use; they are freed when it exits
        // (pthread key destructor). Threads outnumber the cores, so they interleave.
        let key = try Ed25519PrivateKey.generate()
        let message = Array("thread".utf8)
        let signature = try key.signature(for: message)
        let expected = SHA256.hash(message)
        let finished = DispatchGroup()
        let failures = Failures()
        for _ in 0..<16 {
            finished.enter()
            let thread = Thread {
                for _ in 0..<20 where !key.publicKey.isValidSignature(signature, for: message)
                    || SHA256.hash(message) != expected {
                    failures.add()
                }
                finished.leave()
            }
            thread.start()
        }
        finished.wait()
        #expect(failures.count == 0)
    }
}

/// A counter shared by threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
