import CanonicalJSON
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// The documented workflow, end to end, through the real binary.
@Suite struct HappyPathTests {
    static func isHex64(_ s: String) -> Bool { s.utf8.count == 64 && s.allSatisfy { "0123456789abcdef".contains($0) } }

    @Test func keyGenerateWritesAPrivateAndAnSPKIPublicFile() throws {
        try withTemporaryDirectory { dir in
            let out = dir + "/reporter.pem"
            let result = try CLI.run(["key", "generate", "--out", out])
            #expect(result.status == 0, "\(result)")
            let keyID = result.stdout.trimmingCharacters(in: .newlines)
            #expect(result.stdout == keyID + "\n" && Self.isHex64(keyID))
            #expect(try Files.mode(out) == 0o600)
            #expect(try Files.mode(out + ".pub") == 0o644)
            #expect(try KeyFiles.loadPublicKey(out + ".pub").keyID.hex == keyID)
            #expect(try KeyFiles.loadPrivateKey(out).publicKey.keyID.hex == keyID)
            #expect(String(decoding: try Files.bytes(out + ".pub"), as: UTF8.self).hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
            let openssl = try Subprocess.run("openssl", ["pkey", "-pubin", "-in", out + ".pub", "-noout"])
            #expect(openssl.status == 0, "\(openssl)")
            let again = try CLI.run(["key", "generate", "--out", out])
            expectOneLineError(again, exit: 2, mentioning: ["already exists"])
            #expect(try KeyFiles.loadPrivateKey(out).publicKey.keyID.hex == keyID, "an existing key was overwritten")
        }
    }

    @Test func keyGenerateJSONNamesTheFiles() throws {
        try withTemporaryDirectory { dir in
            let result = try CLI.run(["key", "generate", "--out", dir + "/k.pem", "--json"])
            #expect(result.status == 0)
            let json = try result.json
            #expect(json["privateKey"] == .string(dir + "/k.pem"))
            #expect(json["publicKey"] == .string(dir + "/k.pem.pub"))
            #expect(json["keyId"] == .string(try KeyFiles.loadPublicKey(dir + "/k.pem.pub").keyID.hex))
        }
    }

    @Test func initAndKeyAddRecordBothKeys() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            #expect(try box.lines().count == 2)
            let keys = try #require(try box.expectSuccess(["key", "list", "--json", "--ledger", box.ledger]).json.arrayValue)
            #expect(keys.map { $0["role"] } == [.string("root"), .string("journalist")])
            #expect(keys.map { $0["name"] } == [.string("newsroom-root"), .string("desk")])
            #expect(keys[1]["keyId"] == .string(try KeyFiles.loadPublicKey(box.deskKey + ".pub").keyID.hex))
        }
    }

    @Test func sourceAddPrintsTheSourceIDAloneAndArchivesTheBytes() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let result = try box.desk(["source", "add", box.articlePath, "--title", "Titre", "--publisher", "AFP",
                                       "--url", "https://example.org/a", "--published", "2026-01-06", "--language", "fr"])
            let id = SHA256.hash(Array(Sandbox.article.utf8)).hex
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == id + "\n")
            #expect(try Files.bytes(box.archivePath + "/" + id) == Array(Sandbox.article.utf8))
            let sources = try #require(try box.expectSuccess(["source", "list", "--json", "--ledger", box.ledger]).json.arrayValue)
            #expect(sources.count == 1)
            #expect(sources.first?["mediaType"] == "text/plain; charset=utf-8")
            #expect(sources.first?["size"] == .number(Double(Sandbox.article.utf8.count)))
        }
    }

    @Test func claimAddPrintsTheClaimIDAlone() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.addArticle()
            let named = try box.desk(["claim", "add", "--source", source, "--quote", Sandbox.droneQuote, "--id", "named-claim",
                                      "--statement", "The Kremlin accused Ukraine.", "--claimant", "Kremlin"])
            #expect(named.status == 0, "\(named)")
            #expect(named.stdout == "named-claim\n")
            let unnamed = try box.desk(["claim", "add", "--source", source, "--quote", Sandbox.summitQuote,
                                        "--statement", "The summit took place.", "--claimant", "AFP"])
            let id = unnamed.stdout.trimmingCharacters(in: .newlines)
            #expect(unnamed.stdout == id + "\n")
            #expect(id.hasPrefix("c-") && id.utf8.count == 14, "\(unnamed)")
            let json = try box.desk(["claim", "add", "--source", source, "--quote", "Kiev dément", "--id", "json-claim",
                                     "--statement", "Kyiv denies it.", "--claimant", "Kyiv", "--status", "unverifiable",
                                     "--rationale", "Only one side speaks.", "--json"])
            #expect(json.status == 0, "\(json)")
            let document = try json.json
            #expect(document["id"] == "json-claim")
            #expect(document["entries"]?.arrayValue?.map { $0["type"] } == [.string("claim"), .string("status")])
            #expect(document["entries"]?.arrayValue?.first?["seq"] == 5)
        }
    }

    @Test func statusListAndShowFollowAClaimsHistory() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            let status = try box.desk(["claim", "status", "drone-claim", "refuted", "--rationale", "Satellite images show nothing.",
                                       "--evidence", source])
            #expect(status.status == 0 && status.stdout == "drone-claim\n", "\(status)")

            let list = try box.expectSuccess(["claim", "list", "--ledger", box.ledger])
            #expect(list.stdoutLines.count == 2)
            #expect(list.stdoutLines.first?.hasPrefix("drone-claim") == true)
            #expect(list.stdoutLines.first?.contains("refuted") == true)
            let refuted = try box.expectSuccess(["claim", "list", "--status", "refuted", "--ledger", box.ledger])
            #expect(refuted.stdoutLines.map { $0.split(separator: " ").first.map(String.init) } == ["drone-claim"])
            let corroborated = try box.expectSuccess(["claim", "list", "--status", "corroborated", "--json", "--ledger", box.ledger])
            #expect(try corroborated.json.arrayValue?.map { $0["id"] } == [.string("summit-claim")])
            let disputed = try box.expectSuccess(["claim", "list", "--status", "disputed", "--ledger", box.ledger])
            #expect(disputed.stdout.isEmpty)

            let show = try box.expectSuccess(["claim", "show", "drone-claim", "--ledger", box.ledger])
            #expect(show.stdout.contains("status    refuted"))
            #expect(show.stdout.contains("disputed  by desk"))
            #expect(show.stdout.contains("refuted  by desk"))
            let json = try box.expectSuccess(["claim", "show", "drone-claim", "--json", "--ledger", box.ledger]).json
            #expect(json["status"] == "refuted")
            #expect(json["history"]?.arrayValue?.map { $0["status"] } == [.string("disputed"), .string("refuted")])
            let start = try #require(Sandbox.article.utf8.firstRange(of: Sandbox.droneQuote.utf8)).lowerBound
            let offset = Sandbox.article.utf8.distance(from: Sandbox.article.utf8.startIndex, to: start)
            #expect(json["quotes"]?.arrayValue?.first?["start"] == .number(Double(offset)))
            #expect(json["sources"]?.arrayValue?.first?["id"] == .string(source))
        }
    }

    @Test func importRecordsABatchOfSourcesClaimsAndStatuses() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try FileManager.default.createDirectory(atPath: dir + "/evidence", withIntermediateDirectories: true)
            try Files.write("Kyiv said on Monday that no drone attack took place.\n", to: dir + "/evidence/kyiv.txt")
            try Files.writeLines(ImportLines.valid, to: dir + "/batch.jsonl")
            let result = try box.desk(["import", dir + "/batch.jsonl", "--json"])
            #expect(result.status == 0, "\(result)")
            let summary = try result.json
            #expect(summary["entries"] == 7)
            #expect(summary["treeSize"] == 9)
            #expect(summary["types"] == ["source": 2, "claim": 2, "status": 3])
            #expect(try box.lines().count == 9)
            let list = try box.expectSuccess(["claim", "list", "--json", "--ledger", box.ledger]).json.arrayValue
            #expect(list?.map { $0["id"] } == [.string("drone-attack"), .string("kyiv-denies")])
            #expect(list?.map { $0["status"] } == [.string("disputed"), .string("corroborated")])
        }
    }

    @Test func verifyAndExportAgreeWithTheLedger() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let human = try box.expectSuccess(["verify", "--ledger", box.ledger])
            #expect(human.stdout.hasPrefix("OK: 7 entries verify"))
            let (status, report) = try box.verifyJSON()
            #expect(status == 0)
            #expect(report["ok"] == true && report["entries"] == 7)
            let lastLine = try JSONParser.parse(try #require(try box.lines().last))
            #expect(report["head"] == lastLine["hash"])

            let export = try box.expectSuccess(["export", "--ledger", box.ledger]).json
            #expect(export["format"] == "claimledger-export/1")
            #expect(export["treeSize"] == 7)
            #expect(export["claims"]?.arrayValue?.map { $0["id"] } == [.string("drone-claim"), .string("summit-claim")])
            let disputed = try box.expectSuccess(["export", "--status", "disputed", "--ledger", box.ledger]).json
            #expect(disputed["claims"]?.arrayValue?.map { $0["id"] } == [.string("drone-claim")])
            #expect(disputed["statusFilter"] == "disputed")
            try box.expectSuccess(["export", "--out", dir + "/export.json", "--ledger", box.ledger])
            #expect(try JSONParser.parse(try Files.bytes(dir + "/export.json")) == export)
        }
    }
}

/// Lines of import files used by the tests (the article is `article.txt` beside the import file).
enum ImportLines {
    static let article = #"{"type":"source","ref":"article","file":"article.txt","title":"Dépêche","publisher":"AFP","url":"https://example.org/afp","published":"2026-01-06","language":"fr"}"#
    static let kyiv = #"{"type":"source","ref":"kyiv","file":"evidence/kyiv.txt","title":"Kyiv statement","publisher":"Kyiv Post","url":"https://example.org/kyiv","published":"2026-01-05","language":"en","mediaType":"text/plain; charset=utf-8"}"#
    static let droneClaim = #"{"type":"claim","id":"drone-attack","statement":"The Kremlin accused Ukraine of a drone attack.","claimant":"Kremlin","quotes":[{"source":"article","text":"Le Kremlin a accusé l'Ukraine"}],"status":"unverified","rationale":"Reported by AFP.","evidence":["article"]}"#
    static let kyivClaim = #"{"type":"claim","id":"kyiv-denies","statement":"Kyiv denies it.","lang":"en","claimant":"Kyiv","date":"2026-01-05","quotes":[{"source":"kyiv","text":"no drone attack took place"}]}"#
    static let valid = [
        article, kyiv, droneClaim, kyivClaim,
        #"{"type":"status","claim":"drone-attack","status":"disputed","rationale":"Kyiv denies it.","evidence":["article","kyiv"]}"#,
        "",
        #"{"type":"status","claim":"kyiv-denies","status":"corroborated","rationale":"Its own statement.","evidence":["kyiv"]}"#,
    ]
}
