import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// The editorial import lines (FORMAT.md 10.2): every line type recorded, checked by `verify`, shown by
/// `claim show` and exported as the schemas say; a bad line of each new type refused with its line
/// number, leaving the ledger as it was.
@Suite("Editorial import lines") struct EditorialImportTests {
    static let copy = "Copy: Officials said the bridge reopened on Monday after repairs.\n"

    /// A ledger with an editor key and a second file `copy.txt` beside the import files.
    static func ledger() throws -> (RelLedger, editorKey: String) {
        let l = try RelLedger(base: RelLedger.fastBase)
        let editorKey = l.dir + "/editor.pem"
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: editorKey)
        try l.expect(["key", "add", editorKey + ".pub", "--name", "editor", "--role", "editor", "--ledger", l.path, "--key", l.rootKey])
        try RelFiles.write(copy, l.dir + "/copy.txt")
        return (l, editorKey)
    }

    /// Every line type but review (signed by a root key, which may sign all of them).
    static let rootLines = [
        #"{"type":"scale","labels":[{"label":"false","description":"Wrong.","rating":{"alternateName":"False","ratingValue":1,"bestRating":5,"worstRating":1}},{"label":"accurate","description":"Right.","rating":{"alternateName":"Accurate","ratingValue":5,"bestRating":5,"worstRating":1}}]}"#,
        #"{"type":"source","file":"copy.txt","ref":"copy","title":"Copy","publisher":"Wire","url":"https://wire.example/c","published":"2026-01-06","language":"en","provenance":{"copy":"excerpt","kind":"wire-copy","retrievedAt":"2026-01-06","republishes":{"source":"SOURCE"}}}"#,
        #"{"type":"claim","id":"bridge-open","statement":"The bridge is open.","claimant":"Officials","kind":"substance","quotes":[{"source":"copy","text":"the bridge reopened on Monday"}],"status":"corroborated","rationale":"Both say so.","verdict":"accurate","spans":[{"source":"SOURCE","text":"after repairs"}]}"#,
        #"{"type":"status","claim":"claim-one","status":"refuted","rationale":"It did not.","evidence":["copy"],"verdict":"false","spans":[{"source":"SOURCE","text":"Critics disputed the cost figures"}]}"#,
        #"{"type":"provenance","source":"SOURCE","provenance":{"copy":"full","kind":"official-statement"},"reason":"Retrieval time not known."}"#,
        #"{"type":"position","claim":"bridge-open","party":{"name":"Critics","kind":"other"},"stance":"disputes","date":"2026-01-06","quotes":[{"source":"SOURCE","text":"Critics disputed the cost figures"}],"evidence":["copy","SOURCE"],"note":"Cost, not opening."}"#,
        #"{"type":"link","from":"claim-one","relation":"same-as","to":"bridge-open","note":"Recorded twice."}"#,
        #"{"type":"amend","claim":"bridge-open","action":"correct","reason":"Wording.","changes":{"statement":"The bridge reopened.","lang":"en","claimant":"City officials","date":"2026-01-05","kind":"attribution","quotes":[{"source":"copy","text":"Officials said","offset":6}]}}"#,
        #"{"type":"claim","id":"dup-one","statement":"Dup.","claimant":"X","quotes":[{"source":"copy","text":"after repairs"}]}"#,
        #"{"type":"amend","claim":"dup-one","action":"retract","reason":"Duplicate."}"#,
    ]
    static let reviewLines = [
        #"{"type":"review","claim":"bridge-open","decision":"approve","note":"Checked."}"#,
        #"{"type":"review","claim":"claim-one","decision":"return","note":"Which figures?","status":"STATUS"}"#,
    ]

    static func write(_ lines: [String], _ l: RelLedger, _ name: String, status: String = "") throws -> String {
        let path = l.dir + "/" + name
        try RelFiles.write(lines.map { $0.replacingOccurrences(of: "SOURCE", with: l.source).replacingOccurrences(of: "STATUS", with: status) }
                               .joined(separator: "\n") + "\n", path)
        return path
    }

    @Test("An import file of every line type is recorded, verifies, and is shown and exported as the schemas say")
    func everyLineType() throws {
        let (l, editorKey) = try Self.ledger()
        defer { l.remove() }
        let first = try Self.write(Self.rootLines, l, "editorial.jsonl")
        let r = try l.expect(["import", first, "--json", "--ledger", l.path, "--key", l.rootKey])
        #expect(r.out.contains(#""types":{"amend":2,"claim":2,"link":1,"position":1,"provenance":1,"scale":1,"source":1,"status":2}"#), "\(r)")
        let status = try #require(try l.parsedEntries().last { $0.entry.type == .status }).hash.hex
        let second = try Self.write(Self.reviewLines, l, "reviews.jsonl", status: status)
        try l.expect(["import", second, "--ledger", l.path, "--key", editorKey])
        #expect(l.verifyJSON().ok)

        let show = try l.expect(["claim", "show", "bridge-open", "--ledger", l.path]).out
        for text in ["review approve by editor", "Checked.", "provenance official-statement, full copy; retrieval time not known",
                     "provenance wire-copy, excerpt copy; retrieved 2026-01-06; republishes source", "(corrected)", "kind      attribution"] {
            #expect(show.contains(text), "\(text): \(show)")
        }
        let sources = try l.expect(["source", "list", "--ledger", l.path]).out
        #expect(sources.contains("provenance  wire-copy, excerpt copy; retrieved 2026-01-06"), "\(sources)")
        let claimOne = try l.expect(["claim", "show", "claim-one", "--json", "--ledger", l.path]).out
        #expect(claimOne.contains(#""decision":"return""#) && claimOne.contains(#""verdict":"false""#), "\(claimOne)")
        // The span's source joined the evidence after the named one.
        #expect(claimOne.contains(#""evidence":["\#(SHA256.hash(Array(Self.copy.utf8)).hex)","\#(l.source)"]"#), "\(claimOne)")

        guard SchemaValidator.isAvailable else { return }
        for file in [first, second] { #expect(try SchemaValidator.validate("import-line", file, lines: true).status == 0) }
        try l.expect(["export", "--out", l.dir + "/export.json", "--ledger", l.path])
        let export = try SchemaValidator.validate("export", l.dir + "/export.json")
        #expect(export.status == 0, "\(export)")
        for id in ["bridge-open", "claim-one", "dup-one"] {
            try RelFiles.write(try l.expect(["claim", "show", id, "--json", "--ledger", l.path]).out, l.dir + "/\(id).json")
            let shown = try SchemaValidator.validate("claim-show", l.dir + "/\(id).json")
            #expect(shown.status == 0, "\(id): \(shown)")
        }
    }

    /// A review without `status` names the latest status entry at its line, that of an earlier line
    /// included: signed by the same key as that status, it is `same-signer` (not `stale-review`).
    @Test func reviewDefaultsToTheStatusOfAnEarlierLine() throws {
        let (l, editorKey) = try Self.ledger()
        defer { l.remove() }
        let file = try Self.write([#"{"type":"status","claim":"claim-one","status":"disputed","rationale":"Both sides."}"#,
                                   #"{"type":"review","claim":"claim-one","decision":"approve"}"#], l, "r.jsonl")
        let before = try RelFiles.bytes(l.entries)
        let r = RelProcess.tool(["import", file, "--ledger", l.path, "--key", editorKey])
        #expect(r.status == 2 && r.err.contains("line 2 (item 2)") && r.err.contains("[same-signer]"), "\(r)")
        #expect(try RelFiles.bytes(l.entries) == before)
    }

    static let badLines: [(name: String, line: String, code: String)] = [
        ("scale", #"{"type":"scale","labels":[{"label":"Upper","description":"x","rating":{"alternateName":"X","ratingValue":1,"bestRating":5,"worstRating":1}}]}"#, "invalid-input"),
        ("scale revision without reason", #"{"type":"scale","labels":[{"label":"false","description":"Other.","rating":{"alternateName":"False","ratingValue":2,"bestRating":5,"worstRating":1}}]}"#, "invalid-payload"),
        ("provenance", #"{"type":"provenance","source":"copy","provenance":{"copy":"full","kind":"wire-copy","retrievedAt":"2026-01-06T09:00"}}"#, "invalid-input"),
        ("provenance cycle", #"{"type":"provenance","source":"SOURCE","provenance":{"copy":"full","kind":"wire-copy","republishes":{"source":"copy"}}}"#, "link-cycle"),
        ("source provenance", #"{"type":"source","file":"other.txt","title":"T","publisher":"P","url":"https://e.example","published":"2026-01-06","language":"en","provenance":{"copy":"full","kind":"wire-copy","republishes":{"source":"nowhere"}}}"#, "unknown-source"),
        ("position", #"{"type":"position","claim":"claim-one","party":{"name":"Critics","kind":"crowd"},"stance":"denies","date":"2026-01-06","quotes":[{"source":"copy","text":"Officials"}]}"#, "invalid-input"),
        ("position quote", #"{"type":"position","claim":"claim-one","party":{"name":"Critics","kind":"other"},"stance":"denies","date":"2026-01-06","quotes":[{"source":"copy","text":"not in the copy"}]}"#, "quote-not-found"),
        ("link", #"{"type":"link","from":"claim-one","relation":"reports","to":"no-such-claim"}"#, "unknown-claim"),
        ("amend", #"{"type":"amend","claim":"claim-one","action":"correct","reason":"Nothing."}"#, "invalid-input"),
        ("amend retracted", #"{"type":"amend","claim":"dup-one","action":"correct","reason":"Late.","changes":{"claimant":"Y"}}"#, "claim-retracted"),
        ("review", #"{"type":"review","claim":"claim-one","decision":"return"}"#, "invalid-input"),
        ("review signer", #"{"type":"review","claim":"claim-one","decision":"approve","status":"0000000000000000000000000000000000000000000000000000000000000000"}"#, "unauthorized-signer"),
        ("status verdict", #"{"type":"status","claim":"claim-one","status":"refuted","rationale":"No.","verdict":"mostly-true","spans":[{"source":"copy","text":"Officials"}]}"#, "unknown-label"),
        ("misleading text", #"{"type":"link","from":"claim-one","relation":"counters","to":"dup-one","note":"Ends\u202e here."}"#, "misleading-text"),
        ("claim kind", #"{"type":"claim","statement":"S.","claimant":"C","kind":"opinion","quotes":[{"source":"copy","text":"Officials"}]}"#, "invalid-input"),
    ]

    @Test("A bad line of each new type refuses the import with its line number, and the ledger is unchanged",
          arguments: 0..<badLines.count)
    func badLineOfEachType(index: Int) throws {
        let bad = Self.badLines[index]
        let (l, _) = try Self.ledger()
        defer { l.remove() }
        try RelFiles.write("Other.\n", l.dir + "/other.txt")
        let good = Array(Self.rootLines[0..<2]) + Array(Self.rootLines[8..<10])  // scale, copy source, a retracted claim
        let file = try Self.write(good + [bad.line], l, "bad.jsonl")
        let before = try RelFiles.bytes(l.entries)
        let r = RelProcess.tool(["import", file, "--ledger", l.path, "--key", l.rootKey])
        // Exit 2 for bad input; 1 for an unauthorized signer, as for every command.
        #expect(r.status == (bad.code == "unauthorized-signer" ? 1 : 2) && r.err.contains("line 5") && r.err.contains("[\(bad.code)]") && r.err.split(separator: "\n").count == 1,
                "\(bad.name): \(r)")
        #expect(try RelFiles.bytes(l.entries) == before, "\(bad.name)")
        #expect(l.verifyJSON().ok)
    }

    @Test func sourceAddAndSourceProvenanceTakeTheProvenanceOptions() throws {
        let (l, _) = try Self.ledger()
        defer { l.remove() }
        let id = try l.expect(["source", "add", l.dir + "/copy.txt", "--title", "Copy", "--publisher", "Wire", "--url", "https://wire.example/c",
                               "--published", "2026-01-06", "--language", "en", "--copy", "excerpt", "--kind", "wire-copy",
                               "--retrieved-at", "2026-01-06", "--retrieved-from", "https://archive.example/c", "--republishes", String(l.source.prefix(12)),
                               "--ledger", l.path, "--key", l.deskKey]).out.trimmingCharacters(in: .newlines)
        try l.expect(["source", "provenance", l.source, "--copy", "full", "--kind", "official-statement",
                      "--republishes", "https://gov.example/s", "--republishes-publisher", "Ministry", "--ledger", l.path, "--key", l.deskKey])
        let list = try l.expect(["source", "list", "--json", "--ledger", l.path]).out
        #expect(list.contains(#""provenance":{"copy":"excerpt","kind":"wire-copy","republishes":{"source":"\#(l.source)"},"retrievedAt":"2026-01-06","retrievedFrom":"https://archive.example/c"}"#), "\(list)")
        #expect(list.contains(#""provenance":{"copy":"full","kind":"official-statement","republishes":{"publisher":"Ministry","url":"https://gov.example/s"}}"#), "\(list)")
        #expect(!id.isEmpty)
        for (args, word) in [(["--copy", "full"], "--kind"), (["--copy", "full", "--kind", "other", "--retrieved-at", "2026-01-06T09:00"], "--retrieved-at"),
                             (["--copy", "full", "--kind", "other", "--republishes", "https://gov.example/s"], "publisher")] {
            let r = RelProcess.tool(["source", "provenance", l.source] + args + ["--ledger", l.path, "--key", l.deskKey])
            #expect(r.status != 0 && r.err.contains(word) && r.err.split(separator: "\n").count == 1, "\(args): \(r)")
        }
        #expect(l.verifyJSON().ok)
    }
}
