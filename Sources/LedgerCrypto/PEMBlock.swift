import COpenSSL

/// Owns one memory BIO (BIO_s_mem(3)).
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable memory BIO.
    init() throws(CryptoError) {
        guard let method = BIO_s_mem(), let bio = BIO_new(method) else {
            throw .openSSL(.internalError, "BIO_new")
        }
        pointer = bio
    }

    deinit { BIO_free(pointer) }

    /// The bytes written so far, as text (PEM is ASCII).
    func contents() -> String {
        var data: UnsafeMutablePointer<CChar>?
        let count = claimledger_bio_get_mem_data(pointer, &data)
        guard let data, count > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }
}

/// Strict reading of one PEM block (RFC 7468 section 2): nothing but whitespace before the
/// "-----BEGIN <label>-----" line (which must start a line) or after the matching END line.
enum PEMBlock {
    /// Decodes the only block in `text` and calls `body` with its label, whether it carries
    /// RFC 1421 headers (as legacy encrypted keys do: "Proc-Type: 4,ENCRYPTED"), and its DER
    /// bytes. The DER buffer is zeroed and freed when `body` returns.
    static func withDecodedBlock<R>(
        _ text: String,
        _ body: (_ label: String, _ headers: String, _ der: UnsafeRawBufferPointer) throws(CryptoError) -> R
    ) throws(CryptoError) -> R {
        var text = text
        let result: Result<R, CryptoError> = text.withUTF8 { utf8 in
            let leading = utf8.prefix { isWhitespace($0) }
            guard utf8.dropFirst(leading.count).starts(with: "-----BEGIN ".utf8) else {
                return .failure(CryptoError(code: .invalidPEM, detail: "no PEM block: input does not start with -----BEGIN"))
            }
            guard utf8.count <= Int(Int32.max), let bio = BIO_new_mem_buf(utf8.baseAddress, Int32(utf8.count)) else {
                return .failure(.openSSL(.invalidPEM, "BIO_new_mem_buf"))
            }
            defer { BIO_free(bio) }
            var name: UnsafeMutablePointer<CChar>?
            var header: UnsafeMutablePointer<CChar>?
            var data: UnsafeMutablePointer<UInt8>?
            var length = 0
            guard PEM_read_bio(bio, &name, &header, &data, &length) == 1, let name, let header, let data else {
                return .failure(.openSSL(.invalidPEM, "PEM_read_bio"))
            }
            defer {
                claimledger_openssl_free(name)
                claimledger_openssl_free(header)
                claimledger_openssl_clear_free(data, length)
            }
            var rest: UnsafeMutablePointer<CChar>?
            let restCount = claimledger_bio_get_mem_data(bio, &rest)
            if let rest, restCount > 0,
               !UnsafeRawBufferPointer(start: rest, count: restCount).allSatisfy(isWhitespace) {
                return .failure(CryptoError(code: .invalidPEM, detail: "data after the PEM block's END line"))
            }
            do throws(CryptoError) {
                return .success(try body(String(cString: name), String(cString: header),
                                         UnsafeRawBufferPointer(start: data, count: length)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Runs `d2i` (a d2i_* decoder: cursor, length) over `der`; throws `.invalidPEM` if it fails
    /// or leaves bytes over (DER admits exactly one encoding, X.690 section 10).
    static func decodeDER<T>(
        _ der: UnsafeRawBufferPointer, _ what: String,
        _ d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> T?,
        free: (T) -> Void
    ) throws(CryptoError) -> T {
        let start = der.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var cursor = start
        guard let value = d2i(&cursor, der.count) else { throw .openSSL(.invalidPEM, what) }
        guard let start, cursor == start + der.count else {
            free(value)
            throw CryptoError(code: .invalidPEM, detail: "\(what): trailing bytes after the DER value")
        }
        return value
    }

    /// Runs `write` (a PEM_write_bio_* call returning 1 on success) into a memory BIO and
    /// returns what it wrote.
    static func encode(_ what: String, _ write: (OpaquePointer) -> Int32) throws(CryptoError) -> String {
        let bio = try MemoryBIO()
        guard write(bio.pointer) == 1 else { throw .openSSL(.encodeFailed, what) }
        return bio.contents()
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }
}
