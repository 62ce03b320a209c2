import LedgerCrypto
import Testing

@Suite struct SHA256Tests {
    struct KnownAnswers: Decodable {
        struct Case: Decodable { let name, messageAscii: String; let `repeat`: Int; let digest: String }
        let cases: [Case]
    }

    struct RFC6962Hashes: Decodable {
        struct Leaf: Decodable { let prefix: UInt8; let dataHex, digest: String }
        struct Node: Decodable { let left, right, digest: String }
        let leaves: [Leaf]
        let nodes: [Node]
    }

    @Test func nistKnownAnswersOneShotAndStreamed() throws {
        let vectors = try Vectors.json(KnownAnswers.self, "sha256-nist-known-answers.json")
        #expect(vectors.cases.count == 5)
        for vector in vectors.cases {
            let expected = try #require(SHA256Digest(hex: vector.digest))
            let chunk = Array(vector.messageAscii.utf8)
            // Stream in uneven chunks (up to 4,093 bytes), so block boundaries fall mid-chunk.
            let stream = SHA256Stream()
            var pending: [UInt8] = []
            for _ in 0..<vector.repeat {
                pending += chunk
                if pending.count >= 4093 {
                    stream.update(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            stream.update(pending)
            #expect(stream.finalize() == expected, "\(vector.name) streamed")
            if vector.repeat == 1 {
                #expect(SHA256.hash(chunk) == expected, "\(vector.name) one-shot")
                chunk.withUnsafeBytes { #expect(SHA256.hash($0) == expected) }
            }
        }
    }

    @Test func oneMillionAInOneCallMatchesStream() throws {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = try #require(SHA256Digest(hex: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"))
        #expect(SHA256.hash(million) == expected)
    }

    @Test func rfc6962LeafAndNodeHashes() throws {
        let vectors = try Vectors.json(RFC6962Hashes.self, "sha256-rfc6962-leaf-and-node-hashes.json")
        for leaf in vectors.leaves {
            let data = try [UInt8](hex: leaf.dataHex)
            let expected = try #require(SHA256Digest(hex: leaf.digest))
            #expect(data.withUnsafeBytes { SHA256.hash(prefix: leaf.prefix, $0) } == expected)
            #expect(SHA256.hash([leaf.prefix] + data) == expected)
        }
        for node in vectors.nodes {
            let left = try #require(SHA256Digest(hex: node.left))
            let right = try #require(SHA256Digest(hex: node.right))
            let expected = try #require(SHA256Digest(hex: node.digest))
            #expect(SHA256.hashChildren(left, right) == expected)
            #expect(SHA256.hash([0x01] + left.bytes + right.bytes) == expected)
        }
    }

    @Test func emptyBufferWithNilBaseAddress() {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(SHA256.hash(empty).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(prefix: 0, empty).hex == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test func consecutiveHashesOnOneThreadDoNotLeakState() {
        let first = SHA256.hash(Array("abc".utf8))
        _ = SHA256.hash([UInt8](repeating: 7, count: 1000))
        #expect(SHA256.hash(Array("abc".utf8)) == first)
    }
}

@Suite struct SHA256DigestTests {
    let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test func hexRoundTripAndDescription() throws {
        let digest = try #require(SHA256Digest(hex: abc))
        #expect(digest.hex == abc)
        #expect(digest.description == abc)
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
        #expect(digest.withUnsafeBytes { Array($0) } == digest.bytes)
        #expect(SHA256Digest.byteCount == 32)
    }

    @Test func hexParsingIsStrict() {
        #expect(SHA256Digest(hex: abc.uppercased()) == nil)
        #expect(SHA256Digest(hex: "BA" + abc.dropFirst(2)) == nil)
        #expect(SHA256Digest(hex: abc.dropLast()) == nil)
        #expect(SHA256Digest(hex: abc + "0") == nil)
        #expect(SHA256Digest(hex: "g" + abc.dropFirst()) == nil)
        #expect(SHA256Digest(hex: " " + abc.dropFirst()) == nil)
        #expect(SHA256Digest(hex: "") == nil)
        #expect(SHA256Digest(hex: abc.dropFirst(2) + "ba")?.hex == abc.dropFirst(2) + "ba")
        #expect(SHA256Digest(hex: Substring(abc)) != nil)
    }

    /// The String, Substring and UTF-8 overloads and the generic one accept exactly the same text: every
    /// byte value at every position of a valid digest, and text of other lengths.
    @Test func hexFastPathsAgreeWithTheGenericParser() {
        func generic(_ text: some StringProtocol) -> SHA256Digest? { SHA256Digest(hex: text) }
        let valid = Array(abc.utf8)
        for position in valid.indices {
            for byte in 0...255 as ClosedRange<UInt8> {
                var bytes = valid
                bytes[position] = byte
                let isHex = (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
                let fromBytes = bytes.withUnsafeBytes { SHA256Digest(hexUTF8: $0) }
                #expect((fromBytes != nil) == isHex, "byte \(byte) at \(position)")
                if let fromBytes { #expect(fromBytes.hex.utf8.elementsEqual(bytes)) }
                guard byte < 0x80 else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(SHA256Digest(hex: text) == fromBytes)
                #expect(SHA256Digest(hex: Substring("x" + text).dropFirst()) == fromBytes)
                #expect(generic(text) == fromBytes)
            }
        }
        for text in ["", String(abc.dropLast()), abc + "0", "é" + abc.dropFirst(2)] {
            #expect(SHA256Digest(hex: text) == nil && generic(text) == nil)
            #expect(text.utf8.withContiguousStorageIfAvailable { SHA256Digest(hexUTF8: UnsafeRawBufferPointer($0)) } ?? nil == nil)
        }
    }

    @Test func byteCountIsExact() {
        #expect(SHA256Digest(bytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(SHA256Digest(bytes: [UInt8](repeating: 1, count: 33)) == nil)
        #expect(SHA256Digest(bytes: [UInt8]()) == nil)
        #expect(SHA256Digest(bytes: (0..<32).map { UInt8($0) })?.bytes == (0..<32).map { UInt8($0) })
    }

    @Test func zeroIsThirtyTwoZeroBytes() {
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(SHA256Digest.zero.hex == String(repeating: "0", count: 64))
    }

    @Test func orderIsLexicographicOnBytes() throws {
        // Differences in every byte position, including ones whose word order would disagree
        // with byte order on a little-endian host.
        for position in 0..<32 {
            var low = [UInt8](repeating: 0x80, count: 32)
            var high = low
            low[position] = 0x01
            high[position] = 0x02
            if position < 31 { low[position + 1] = 0xff }
            let a = try #require(SHA256Digest(bytes: low))
            let b = try #require(SHA256Digest(bytes: high))
            #expect(a < b && !(b < a), "position \(position)")
            #expect(a.bytes.lexicographicallyPrecedes(b.bytes))
        }
        #expect(!(SHA256Digest.zero < SHA256Digest.zero))
    }

    @Test func hashableAgreesWithEquality() throws {
        let a = try #require(SHA256Digest(hex: abc))
        let b = try #require(SHA256Digest(bytes: a.bytes))
        #expect(Set([a, b, .zero]).count == 2)
    }
}
