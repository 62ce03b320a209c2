import Foundation
import LedgerCrypto
import SignedNote

/// Reads a file from Vectors/ (beside this source file) as bytes.
func vectorBytes(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/\(name)")
    return Array(try Data(contentsOf: url))
}

/// Reads a one-line key file from Vectors/, without its newline.
func vectorKey(_ name: String) throws -> String {
    String(decoding: try vectorBytes(name), as: UTF8.self).trimmingCharacters(in: .newlines)
}

func freshSigner(_ name: String) throws -> NoteSigner {
    try NoteSigner(name: name, privateKey: Ed25519PrivateKey.generate())
}

/// The text of Go's sumdb/note documentation example.
let goExampleText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"

/// The PeterNeumann signature line of Go's example, and its parts.
let peterBase64 = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
let peterLine = "\u{2014} PeterNeumann \(peterBase64)\n"
