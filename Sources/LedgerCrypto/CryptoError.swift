import COpenSSL

/// A failure in key handling or signing. `code` is stable (tests and callers compare it);
/// `detail` is a human reason that may include OpenSSL's error strings, never key bytes.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidKeyLength = "invalid-key-length"
        case invalidPEM = "invalid-pem"
        case wrongKeyType = "wrong-key-type"
        case encryptedKey = "encrypted-key"
        case wrongPassphrase = "wrong-passphrase"
        case invalidPasswordHash = "invalid-password-hash"
        case randomFailed = "random-failed"
        case signFailed = "sign-failed"
        case keyGenerationFailed = "keygen-failed"
        case encodeFailed = "encode-failed"
        case internalError = "internal"
    }

    public let code: Code
    public let detail: String

    init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }

    /// An error for an OpenSSL call that just failed: drains this thread's OpenSSL error queue
    /// into `detail`. Call it right after the failing call, on the same thread.
    static func openSSL(_ code: Code, _ what: String) -> CryptoError {
        let queued = OpenSSLErrorQueue.drain()
        return CryptoError(code: code, detail: queued.isEmpty ? what : "\(what): \(queued)")
    }
}

/// OpenSSL's per-thread error queue (ERR_get_error_all(3)).
enum OpenSSLErrorQueue {
    /// Removes every queued error and returns them joined by "; " (at most 8 are kept in the text).
    static func drain() -> String {
        var messages: [String] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            guard messages.count < 8 else { continue }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            var message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 {
                message += " (\(String(cString: data)))"
            }
            messages.append(message)
        }
        return messages.joined(separator: "; ")
    }

    /// Ends the process for a failure that only resource exhaustion can cause (hashing with a
    /// fetched SHA-256 on a live context), reporting OpenSSL's reasons.
    static func fatal(_ what: String) -> Never {
        fatalError("LedgerCrypto: \(what) failed: \(drain())")
    }
}
