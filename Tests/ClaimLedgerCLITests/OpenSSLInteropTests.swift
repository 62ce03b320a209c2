import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// One line of `entries.jsonl` cut into its parts the way an outside auditor would, with no
/// ClaimLedger code: the entry's canonical bytes lie between `{"entry":` and `,"hash":"`.
struct OpenSSLEntry {
    let line: String
    let entryBytes: [UInt8]
    let hash: String
    let signature: [UInt8]

    init(line: String) throws {
        self.line = line
        let prefix = #"{"entry":"#
        try #require(line.hasPrefix(prefix))
        let hashMarker = try #require(line.range(of: #","hash":""#, options: .backwards))
        entryBytes = Array(line[line.index(line.startIndex, offsetBy: prefix.count)..<hashMarker.lowerBound].utf8)
        hash = String(line[hashMarker.upperBound...].prefix(64))
        let signatureMarker = try #require(line.range(of: #""signature":""#, options: .backwards))
        let signatureText = line[signatureMarker.upperBound...].dropLast(2)
        signature = Array(try #require(Data(base64Encoded: String(signatureText))))
    }

    /// The same line with `key`'s (valid) signature over the same entry bytes.
    func resigned(with key: Ed25519PrivateKey) throws -> String {
        let other = try key.signature(for: entryBytes).base64EncodedString
        let marker = try #require(line.range(of: #""signature":""#, options: .backwards))
        return String(line[..<marker.upperBound]) + other + "\"}"
    }
}

extension Array where Element == UInt8 {
    var base64EncodedString: String { Data(self).base64EncodedString() }
}

@Suite struct OpenSSLInteropTests {
    @Test func entryHashAndSignatureCheckWithTheOpenSSLCommand() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            // Entry 3: a claim signed by the journalist, with non-ASCII text in its quote.
            let entry = try OpenSSLEntry(line: try box.lines()[3])
            #expect(entry.signature.count == 64)

            try Files.write([0x00] + entry.entryBytes, to: dir + "/leaf.bin")
            let digest = try Subprocess.run("openssl", ["dgst", "-sha256", "-r", dir + "/leaf.bin"])
            #expect(digest.status == 0, "\(digest)")
            #expect(digest.stdout.split(separator: " ").first.map(String.init) == entry.hash)

            try Files.write(entry.entryBytes, to: dir + "/entry.bin")
            try Files.write(entry.signature, to: dir + "/sig.bin")
            let verify = ["pkeyutl", "-verify", "-pubin", "-inkey", box.deskKey + ".pub", "-rawin",
                          "-in", dir + "/entry.bin", "-sigfile", dir + "/sig.bin"]
            let good = try Subprocess.run("openssl", verify)
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout.contains("Signature Verified Successfully"))

            var flipped = entry.entryBytes
            flipped[flipped.count / 2] ^= 0x01
            try Files.write(flipped, to: dir + "/entry.bin")
            let bad = try Subprocess.run("openssl", verify)
            #expect(bad.status != 0, "\(bad)")
            #expect(!bad.stdout.contains("Signature Verified Successfully"))
        }
    }

    /// The committed ledger checks with OpenSSL and the committed public keys alone: its genesis entry
    /// with the root key, its first claim entry with the journalist's key.
    @Test(arguments: [(0, "newsroom-root.pub.pem"), (-1, "desk-journalist.pub.pem")])
    func seedLedgerEntryChecksWithOpenSSL(index: Int, publicKey: String) throws {
        let lines = try Files.lines(SeedLedgerTests.ledger + "/entries.jsonl")
        let line = index >= 0 ? lines[index] : try #require(lines.first { $0.contains(#""type":"claim""#) })
        let entry = try OpenSSLEntry(line: line)
        try withTemporaryDirectory { dir in
            try Files.write([0x00] + entry.entryBytes, to: dir + "/leaf.bin")
            let digest = try Subprocess.run("openssl", ["dgst", "-sha256", "-r", dir + "/leaf.bin"])
            #expect(digest.stdout.split(separator: " ").first.map(String.init) == entry.hash)
            try Files.write(entry.entryBytes, to: dir + "/entry.bin")
            try Files.write(entry.signature, to: dir + "/sig.bin")
            let verify = try Subprocess.run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", SeedLedgerTests.seeds + "/keys/" + publicKey,
                                                        "-rawin", "-in", dir + "/entry.bin", "-sigfile", dir + "/sig.bin"])
            #expect(verify.status == 0 && verify.stdout.contains("Signature Verified Successfully"), "\(verify)")
        }
    }

    @Test func rootKeySignatureDoesNotPassForTheJournalistsEntry() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let entry = try OpenSSLEntry(line: try box.lines()[3])
            let forged = try OpenSSLEntry(line: try entry.resigned(with: try KeyFiles.loadPrivateKey(box.rootKey)))
            #expect(forged.entryBytes == entry.entryBytes && forged.signature != entry.signature)
            try Files.write(entry.entryBytes, to: dir + "/entry.bin")
            try Files.write(forged.signature, to: dir + "/sig.bin")
            let args = ["pkeyutl", "-verify", "-pubin", "-rawin", "-in", dir + "/entry.bin", "-sigfile", dir + "/sig.bin", "-inkey"]
            #expect(try Subprocess.run("openssl", args + [box.rootKey + ".pub"]).status == 0)
            #expect(try Subprocess.run("openssl", args + [box.deskKey + ".pub"]).status != 0)
        }
    }
}
