import LedgerCrypto

/// The body of a c2sp.org/tlog-witness `add-checkpoint` request: `old <size>\n`, zero to 63 consistency
/// proof lines (one base64 hash each), an empty line, then the signed checkpoint note. Parsed strictly;
/// a body that does not have this form is a 400.
public struct AddCheckpointRequest: Sendable, Equatable {
    public static let maxProofLines = 63
    /// A checkpoint note is at most 1 MiB (NoteLimits), the rest is at most 64 short lines.
    public static let maxBodyBytes = (1 << 20) + 64 * 64

    public let oldSize: Int
    public let proof: [SHA256Digest]
    public let note: [UInt8]

    public init(oldSize: Int, proof: [SHA256Digest], note: [UInt8]) {
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
    }

    public init(parsing body: [UInt8]) throws(WitnessError) {
        guard body.count <= Self.maxBodyBytes else { throw WitnessError(.badRequest, "the request is \(body.count) bytes, limit \(Self.maxBodyBytes)") }
        var at = 0
        func line() throws(WitnessError) -> Substring {
            guard let end = body[at...].firstIndex(of: 0x0A) else { throw WitnessError(.badRequest, "a line does not end in a newline") }
            defer { at = end + 1 }
            guard let text = String(validating: body[at..<end], as: UTF8.self) else { throw WitnessError(.badRequest, "a line is not UTF-8") }
            return Substring(text)
        }
        let first = try line()
        guard first.hasPrefix("old "), let size = Int(first.dropFirst(4)), size >= 0, String(size) == first.dropFirst(4) else {
            throw WitnessError(.badRequest, "the first line must be `old <size>` (decimal, no leading zeros)")
        }
        var proof = [SHA256Digest]()
        while true {
            let text = try line()
            if text.isEmpty { break }
            guard proof.count < Self.maxProofLines else { throw WitnessError(.badRequest, "more than \(Self.maxProofLines) consistency proof lines") }
            guard let bytes = Base64.decode(text), bytes.count == 32 else {
                throw WitnessError(.badRequest, "consistency proof line \(proof.count + 1) is not the base64 of a 32-byte hash")
            }
            proof.append(SHA256Digest(bytes: bytes)!)
        }
        self.init(oldSize: size, proof: proof, note: Array(body[at...]))
    }

    /// The request body.
    public var serialized: [UInt8] {
        var out = Array("old \(oldSize)\n".utf8)
        for hash in proof { out += Array((Base64.encode(hash.bytes) + "\n").utf8) }
        return out + [0x0A] + note
    }
}

/// Why a witness refused a request, with the HTTP status the specification gives it.
public struct WitnessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Int, Sendable {
        case badRequest = 400
        case untrustedSignature = 403
        case unknownLog = 404
        /// The old size is not the witness's latest size, or the same size has another root.
        case conflict = 409
        case inconsistent = 422
        /// The witness cannot read or write its state, or sign: nothing was cosigned.
        case storage = 500
    }

    public let code: Code
    public let detail: String
    /// With `conflict`: the size of the latest checkpoint the witness cosigned.
    public let latestSize: Int?

    public init(_ code: Code, _ detail: String, latestSize: Int? = nil) {
        self.code = code
        self.detail = detail
        self.latestSize = latestSize
    }

    public var description: String { detail }
}
