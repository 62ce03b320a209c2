import LedgerCrypto
import Testing

/// The Ed25519 acceptance rule of docs/FORMAT.md section 7.6 against published vectors: A and R
/// canonical (y < p) and not of small order, S < L, then OpenSSL's cofactorless RFC 8032 check.
@Suite struct Ed25519AcceptanceRuleTests {
    static let wycheproof = "wycheproof-ed25519-test.json"
    static let speccheck = "ed25519-speccheck-cases.txt"

    /// Our verdict for each case of ed25519-speccheck (Chalkias, Garillot, Nikolaenko, "Taming the
    /// many EdDSAs", 2020, table 5), numbered from 0 as in the paper. Only case 3 is accepted: A and
    /// R have a small-order component but are not themselves of small order, every encoding is
    /// canonical, S < L, and the cofactorless equation holds, so every RFC 8032 verifier accepts it.
    static let speccheckVerdicts: [Int: (Ed25519Rejection?, String)] = [
        0: (.keySmallOrder, "S = 0, A and R of small order: the forgery anyone can make"),
        1: (.keySmallOrder, "A of small order, R mixed order"),
        2: (.rSmallOrder, "R of small order, A mixed order"),
        3: (nil, "A and R mixed order, both equations hold: accepted"),
        4: (.equation, "holds only for the cofactored equation 8SB = 8R + 8kA"),
        5: (.equation, "holds only for the cofactored equation, with k pre-reduced"),
        6: (.sNotReduced, "S > L"),
        7: (.sNotReduced, "S much larger than L"),
        8: (.rSmallOrder, "R non-canonical: x = 0 with the sign bit set (y = p - 1), a point of order 2"),
        9: (.rSmallOrder, "R non-canonical as in 8, k not reduced"),
        10: (.keySmallOrder, "A non-canonical: x = 0 with the sign bit set (y = p - 1), a point of order 2"),
        11: (.keySmallOrder, "A non-canonical as in 10, k not reduced"),
    ]

    /// What OpenSSL 3.0.19's `EVP_DigestVerify` alone answers for the speccheck cases (the
    /// OpenSSL-3.0 row of the paper's results): it accepts 0, 1, 2, 3 and 11, hence the byte checks.
    static let openSSLAloneAccepts: Set<Int> = [0, 1, 2, 3, 11]

    static func verdict(_ c: Ed25519Case) throws -> Ed25519Rejection? {
        try Ed25519PublicKey(rawRepresentation: c.publicKey).rejection(of: c.signature, for: c.message)
    }

    @Test func speccheckCasesGetThePinnedVerdicts() throws {
        let cases = try Ed25519VectorFile.load(Self.speccheck)
        #expect(cases.count == Self.speccheckVerdicts.count)
        for c in cases {
            let (expected, why) = try #require(Self.speccheckVerdicts[c.id])
            #expect(try Self.verdict(c) == expected, "\(c): \(why)")
        }
    }

    /// Every Wycheproof case gets Wycheproof's verdict: our rule rejects nothing they call valid.
    @Test func wycheproofCasesGetWycheproofsVerdicts() throws {
        let cases = try Ed25519VectorFile.load(Self.wycheproof)
        #expect(cases.count == 151)
        for c in cases {
            guard let valid = c.fileSaysValid else {
                Issue.record("\(c) has no result")
                continue
            }
            let rejection = try Self.verdict(c)
            #expect((rejection == nil) == valid, "\(c): \(rejection?.rawValue ?? "accepted")")
        }
    }

    /// The reasons our checks give for Wycheproof's special R and S values, where they decide
    /// before OpenSSL does.
    @Test func wycheproofSpecialValuesAreRefusedByTheByteChecks() throws {
        let byID = Dictionary(uniqueKeysWithValues: try Ed25519VectorFile.load(Self.wycheproof).map { ($0.id, $0) })
        let expected: [Int: Ed25519Rejection] = [
            10: .rSmallOrder, 12: .rSmallOrder, 15: .rSmallOrder,  // R = 0 (order 4) or the identity, whatever S
            25: .rNotCanonical, 29: .rNotCanonical, 61: .rNotCanonical,  // R with y = p or y = 2^255 - 1
            63: .sNotReduced, 66: .sNotReduced, 85: .sNotReduced,  // S + L, S + 8L, S just above L
            151: .rSmallOrder,  // y = 1 with the sign bit set: non-canonical, and the identity
            30: .signatureLength, 33: .signatureLength,
        ]
        for (id, reason) in expected {
            let c = try #require(byID[id])
            #expect(try Self.verdict(c) == reason, "\(c)")
        }
    }

    /// Every encoding with y >= p (19 values, either sign bit) is refused as a key, before OpenSSL
    /// decodes it; so is every small-order encoding, canonical or not.
    @Test func nonCanonicalAndSmallOrderKeysVerifyNothing() throws {
        for offset in 0..<19 {
            for sign: UInt8 in [0, 0x80] {
                var encoding = [UInt8](repeating: 0xff, count: 32)
                encoding[0] = 0xed + UInt8(offset)
                encoding[31] = 0x7f | sign
                let key = try Ed25519PublicKey(rawRepresentation: encoding)
                #expect(key.keyRejection == .keyNotCanonical, "y = p + \(offset), sign \(sign)")
                #expect(key.rejection(of: [UInt8](repeating: 0, count: 64), for: []) == .keyNotCanonical)
            }
        }
        let smallOrder = try Ed25519VectorFile.load(Self.speccheck)[0].publicKey
        #expect(try Ed25519PublicKey(rawRepresentation: smallOrder).keyRejection == .keySmallOrder)
    }

    /// Documents what OpenSSL enforces on its own (the reason the byte checks exist), with the
    /// openssl command: for speccheck it accepts the small-order cases; for Wycheproof it already
    /// gives every verdict (empty messages skipped: `pkeyutl -rawin` cannot read an empty file).
    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"))
    func whatOpenSSLAloneAccepts() throws {
        let directory = try TemporaryDirectory()
        func openSSLAccepts(_ c: Ed25519Case, _ tag: String) throws -> Bool {
            let key = try directory.write("\(tag).der", try [UInt8](hex: "302a300506032b6570032100") + c.publicKey)  // RFC 8410 section 4
            let message = try directory.write("\(tag).msg", c.message)
            let signature = try directory.write("\(tag).sig", c.signature)
            return try OpenSSLTool.run(["pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", key,
                                        "-rawin", "-in", message, "-sigfile", signature]).status == 0
        }
        for c in try Ed25519VectorFile.load(Self.speccheck) {
            #expect(try openSSLAccepts(c, "s\(c.id)") == Self.openSSLAloneAccepts.contains(c.id), "\(c)")
        }
        for c in try Ed25519VectorFile.load(Self.wycheproof) where !c.message.isEmpty && c.signature.count == 64 {
            #expect(try openSSLAccepts(c, "w\(c.id)") == c.fileSaysValid, "\(c)")
        }
    }
}
