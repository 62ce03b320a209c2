import Foundation
import Testing

/// Missing ledgers and unusable keys: one line on stderr, exit 3 (environment) or 2 (usage),
/// and nothing written.
@Suite struct KeyAndLedgerErrorTests {
    /// A journalist's command that would append an entry if the key were usable.
    static let statusArgs = ["claim", "status", "drone-claim", "corroborated", "--rationale", "Confirmed."]

    @Test func missingLedgerDirectoryExitsThree() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let missing = dir + "/no-ledger-here"
            for args in [["verify"], ["claim", "list"], ["export"], ["source", "list"], Self.statusArgs + ["--key", box.deskKey]] {
                let result = try CLI.run(args + ["--ledger", missing])
                expectOneLineError(result, exit: 3, mentioning: ["no ledger"])
            }
            #expect(!FileManager.default.fileExists(atPath: missing))
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func keyFileAccessibleByOthersExitsThree(mode: Int) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: box.deskKey)
            _ = try expectRefused(box, 3, mentioning: ["chmod 600"]) { try box.desk(Self.statusArgs) }
        }
    }

    @Test func missingKeyFileExitsThree() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            _ = try expectRefused(box, 3, mentioning: [dir + "/absent.pem"]) { try box.desk(Self.statusArgs, key: dir + "/absent.pem") }
        }
    }

    @Test func keyPathThatIsADirectoryExitsThree() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try FileManager.default.createDirectory(atPath: dir + "/keys.d", withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir + "/keys.d")
            _ = try expectRefused(box, 3) { try box.desk(Self.statusArgs, key: dir + "/keys.d") }
        }
    }

    /// Root reads any file, so this case runs only for other users.
    @Test(.enabled(if: getuid() != 0, "root can read a mode 000 file"))
    func unreadableKeyFileExitsThree() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: box.deskKey)
            _ = try expectRefused(box, 3) { try box.desk(Self.statusArgs) }
        }
    }

    @Test(arguments: [
        "this is not a key\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "",
    ])
    func garbageKeyFileExitsThree(contents: String) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try Files.write(contents, to: dir + "/garbage.pem", mode: 0o600)
            _ = try expectRefused(box, 3, mentioning: ["garbage.pem"]) { try box.desk(Self.statusArgs, key: dir + "/garbage.pem") }
        }
    }

    @Test func rsaKeyExitsThree() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let rsa = dir + "/rsa.pem"
            let made = try Subprocess.run("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa])
            try #require(made.status == 0, "\(made)")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: rsa)
            _ = try expectRefused(box, 3, mentioning: ["Ed25519"]) { try box.desk(Self.statusArgs, key: rsa) }
        }
    }

    @Test func publicKeyFileGivenAsSigningKeyExitsThree() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: box.deskKey + ".pub")
            _ = try expectRefused(box, 3) { try box.desk(Self.statusArgs, key: box.deskKey + ".pub") }
        }
    }

    @Test func noSigningKeyIsAUsageError() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            _ = try expectRefused(box, 2, mentioning: ["CLAIMLEDGER_KEY"]) { try CLI.run(Self.statusArgs + ["--ledger", box.ledger]) }
        }
    }

    @Test func keyFromTheEnvironmentIsUsed() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let result = try CLI.run(Self.statusArgs + ["--ledger", box.ledger], env: ["CLAIMLEDGER_KEY": box.deskKey])
            #expect(result.status == 0, "\(result)")
            #expect(try box.lines().count == 8)
        }
    }

    @Test func keyThatIsNotInTheLedgerIsRefused() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let stranger = dir + "/stranger.pem"
            try box.expectSuccess(["key", "generate", "--out", stranger])
            _ = try expectRefused(box, 1, mentioning: ["unknown-signer"]) { try box.desk(Self.statusArgs, key: stranger) }
        }
    }

    @Test func journalistCannotAddKeys() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.expectSuccess(["key", "generate", "--out", dir + "/intern.pem"])
            _ = try expectRefused(box, 1, mentioning: ["unauthorized-signer"]) {
                try box.desk(["key", "add", dir + "/intern.pem.pub", "--name", "intern"])
            }
        }
    }

    @Test func initRefusesAnExistingLedger() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            _ = try expectRefused(box, 2, mentioning: ["already holds a ledger"]) {
                try CLI.run(["init", "--ledger", box.ledger, "--origin", "other.example/claims", "--key", box.rootKey])
            }
        }
    }
}
