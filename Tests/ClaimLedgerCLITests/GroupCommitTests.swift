import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Testing

/// `LedgerStore.appendGroup` (group commit): many writers' requests under one lock, one write, one fsync.
/// Refused requests contribute nothing and stop nothing; the result is what sequential appends give;
/// the group is one batch on disk (all or nothing); CLI writers in other processes interleave safely.
@Suite("Group commit", .serialized)
struct GroupCommitTests {
    /// A `RelLedger` (root, desk = journalist, `claim-one`) plus an editor key; keys loaded.
    struct Newsroom {
        let ledger: RelLedger
        let desk: Ed25519PrivateKey, editor: Ed25519PrivateKey, root: Ed25519PrivateKey
        var editorKey: String { ledger.dir + "/editor.pem" }

        init(base: String = NSTemporaryDirectory()) throws {
            ledger = try RelLedger(base: base)
            try KeyFiles.write(try Ed25519PrivateKey.generate(), to: ledger.dir + "/editor.pem")
            try ledger.expect(["key", "add", ledger.dir + "/editor.pem.pub", "--name", "editor", "--role", "editor",
                               "--ledger", ledger.path, "--key", ledger.rootKey])
            desk = try KeyFiles.loadPrivateKey(ledger.deskKey)
            editor = try KeyFiles.loadPrivateKey(ledger.dir + "/editor.pem")
            root = try KeyFiles.loadPrivateKey(ledger.rootKey)
        }
    }

    static let time = Timestamp(rfc3339: "2026-03-01T10:00:00Z")!
    static let secondArticle = "The council voted to close the library on Sundays. Residents protested outside the town hall.\n"

    static func status(_ claim: String, _ rationale: String, _ status: ClaimStatus = .disputed) -> Draft {
        .status(StatusDraft(claim: claim, status: status, rationale: rationale, evidence: []))
    }

    static func claim(_ id: String, source: String, quote: String, status: StatusDraft? = nil) -> Draft {
        .claim(ClaimDraft(id: id, statement: "Statement of \(id).", language: "en", claimant: "Officials", date: nil,
                          quotes: [QuoteDraft(source: source, text: quote)], status: status))
    }

    static func sourceDraft(_ text: String) -> Draft {
        .source(SourceDraft(bytes: Array(text.utf8), title: "Library", publisher: "Desk", url: "https://example.org/library",
                            published: CalendarDate("2026-02-01")!, language: "en", mediaType: "text/plain"), ref: nil)
    }

    /// Mixed requests of three keys and roles: good ones, refused ones of each kind, and ones that depend
    /// on earlier requests of the same group (a claim and then its status, a source and then a claim
    /// quoting it, a status and then an editor's review of it).
    static func mixedRequests(_ n: Newsroom) -> (requests: [LedgerStore.AppendRequest], refused: [Int: LedgerError.Code]) {
        let source = n.ledger.source
        let library = SHA256.hash(Array(secondArticle.utf8)).hex
        func req(_ drafts: [Draft], _ key: Ed25519PrivateKey, _ minutes: Int64 = 0) -> LedgerStore.AppendRequest {
            LedgerStore.AppendRequest(drafts: drafts, key: key, time: Timestamp(secondsSinceEpoch: time.secondsSinceEpoch + minutes * 60))
        }
        let requests = [
            req([status("claim-one", "g0 disputed")], n.desk),                                        // 0 ok
            req([claim("bad-quote", source: source, quote: "no such words in the article")], n.desk), // 1 quote-not-found
            req([claim("claim-two", source: source, quote: "Critics disputed the cost figures")], n.desk, 1), // 2 ok
            req([status("claim-two", "g3 refuted", .refuted)], n.desk, 1),                            // 3 ok: needs 2
            req([status("no-such-claim", "g4")], n.desk),                                             // 4 unknown-claim
            req([.editorial(.review(claim: "claim-two", decision: .approve, note: nil))], n.desk),     // 5 journalist reviews
            req([.editorial(.review(claim: "claim-two", decision: .approve, note: "g6"))], n.editor, 2), // 6 ok: reviews 3
            req([claim("claim-two", source: source, quote: "the bridge reopened on Monday")], n.desk), // 7 duplicate-id (2)
            req([], n.desk),                                                                          // 8 empty
            req([sourceDraft(secondArticle), claim("claim-three", source: library, quote: "close the library on Sundays")],
                n.desk, 3),                                                                           // 9 ok: source + claim
            req([claim("claim-four", source: library, quote: "Residents protested")], n.desk, 3),     // 10 ok: quotes 9's source
            req([status("claim-one", "g11 first"), status("claim-four", "g11 second"), status("claim-nope", "g11 third")],
                n.desk),                                                                              // 11 unknown-claim: none of it
            req([status("claim-one", "g12 corroborated", .corroborated)], n.root),                   // 12 ok? root signs statuses?
        ]
        return (requests, [1: .quoteNotFound, 4: .unknownClaim, 5: .unauthorizedSigner, 7: .duplicateID, 8: .empty, 11: .unknownClaim])
    }

    @Test("Mixed good and refused requests of different keys and roles: each refused one gets its error, nothing of it is written, later ones see the accepted ones")
    func mixedRequests() throws {
        let n = try Newsroom()
        defer { n.ledger.remove() }
        let store = try LedgerStore.open(n.ledger.path)
        let before = try n.ledger.parsedEntries().count
        let sourcesBefore = relListDirectory(n.ledger.path + "/sources/sha256")
        var (requests, refused) = Self.mixedRequests(n)
        // Whether the root key may sign a status is the ledger's rule, not the group's: ask `append` on a copy.
        requests.removeLast()
        let (results, state) = try store.appendGroup(requests)
        #expect(results.count == requests.count)
        var expectedEntries = 0
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let entries):
                #expect(refused[i] == nil, "request \(i) was accepted, expected \(refused[i]!.rawValue)")
                #expect(entries.count == (i == 9 ? 2 : 1), "request \(i): \(entries.count) entries")
                #expect(entries.allSatisfy { $0.entry.signer == requests[i].key.publicKey.keyID }, "request \(i) signed by another key")
                expectedEntries += entries.count
            case .failure(let error):
                let code = (error as? LedgerError)?.code
                #expect(code == refused[i], "request \(i): \(error), expected \(refused[i]?.rawValue ?? "success")")
            }
        }
        let all = try n.ledger.parsedEntries()
        #expect(all.count == before + expectedEntries && state.size == all.count)
        #expect(state.head == all.last?.hash)
        // Accepted entries, in request order, at consecutive seqs after the ledger's last entry.
        let accepted = results.flatMap { (try? $0.get()) ?? [] }
        #expect(accepted.map(\.hash) == all[before...].map(\.hash))
        #expect(accepted.map(\.entry.seq) == Array(before..<(before + accepted.count)))
        let rationales = try n.ledger.rationales()
        #expect(!rationales.contains { $0.hasPrefix("g11") || $0 == "g4" }, "a refused request left entries: \(rationales)")
        // The review (6) names the status of request 3, accepted earlier in the same group.
        let status3 = try results[3].get()[0].hash
        #expect(all.contains { if case .review(let r) = $0.entry.payload { r.status == status3 } else { false } })
        // The new source is archived; nothing else was added to the archive.
        let added = Set(relListDirectory(n.ledger.path + "/sources/sha256")).subtracting(sourcesBefore)
        #expect(added == [SHA256.hash(Array(Self.secondArticle.utf8)).hex])
        #expect(!FileManager.default.fileExists(atPath: n.ledger.path + "/append-in-progress"))
        let v = n.ledger.verifyJSON()
        #expect(v.status == 0 && v.ok && v.entries == all.count, "\(v)")
        // The writers' index was brought up to date: the CLI appends after the group without rebuilding.
        #expect(n.ledger.status("after the group").status == 0)
        #expect(n.ledger.verifyJSON().ok)
    }

    @Test("A group whose requests are all refused writes nothing: not a byte, no marker, no index change")
    func allRefused() throws {
        let n = try Newsroom()
        defer { n.ledger.remove() }
        let store = try LedgerStore.open(n.ledger.path)
        _ = try store.appendGroup([])  // an empty group is not an error either
        let entries = try RelFiles.bytes(n.ledger.entries)
        let files = relListDirectory(n.ledger.path)
        let head = try RelFiles.bytes(n.ledger.path + "/index/head.json")
        let requests = [
            LedgerStore.AppendRequest(drafts: [Self.status("nope", "x")], key: n.desk, time: Self.time),
            LedgerStore.AppendRequest(drafts: [Self.sourceDraft(Self.secondArticle), Self.status("nope", "y")], key: n.desk, time: Self.time),
        ]
        let (results, state) = try store.appendGroup(requests)
        #expect(results.allSatisfy { if case .failure(let e) = $0 { (e as? LedgerError)?.code == .unknownClaim } else { false } })
        #expect(try RelFiles.bytes(n.ledger.entries) == entries)
        #expect(relListDirectory(n.ledger.path) == files)
        #expect(try RelFiles.bytes(n.ledger.path + "/index/head.json") == head)
        #expect(!relListDirectory(n.ledger.path + "/sources/sha256").contains(SHA256.hash(Array(Self.secondArticle.utf8)).hex))
        #expect(state.size == (try n.ledger.parsedEntries().count))
    }

    @Test("The group's bytes equal those of the same requests appended one by one in order (refused ones skipped)")
    func equalsSequentialAppends() throws {
        let n = try Newsroom()
        defer { n.ledger.remove() }
        let copy = n.ledger.dir + "/copy"
        try FileManager.default.copyItem(atPath: n.ledger.path, toPath: copy)
        let (requests, _) = Self.mixedRequests(n)
        let (results, groupState) = try LedgerStore.open(n.ledger.path).appendGroup(requests)

        let sequential = try LedgerStore.open(copy)
        var sequentialResults = [String]()
        for r in requests {
            do {
                let (entries, _) = try sequential.append(r.drafts, key: r.key, time: r.time)
                sequentialResults.append(entries.map(\.hash.hex).joined(separator: ","))
            } catch {
                sequentialResults.append("error " + ((error as? LedgerError)?.code.rawValue ?? "\(error)"))
            }
        }
        let groupResults = results.map { r in
            switch r {
            case .success(let entries): entries.map(\.hash.hex).joined(separator: ",")
            case .failure(let e): "error " + ((e as? LedgerError)?.code.rawValue ?? "\(e)")
            }
        }
        // `append` of no drafts writes an empty batch; the group refuses such a request.
        #expect(zip(groupResults, sequentialResults).enumerated().allSatisfy { i, pair in requests[i].drafts.isEmpty || pair.0 == pair.1 },
                "group \(groupResults)\nsequential \(sequentialResults)")
        #expect(groupResults.contains { $0.hasPrefix("error") } && groupResults.contains { !$0.hasPrefix("error") })
        #expect(try RelFiles.bytes(n.ledger.entries) == (try RelFiles.bytes(copy + "/entries.jsonl")), "the ledgers differ")
        #expect(relListDirectory(n.ledger.path + "/sources/sha256") == relListDirectory(copy + "/sources/sha256"))
        #expect(groupState.head == (try LedgerStore.open(copy).verify().state.head))
    }
}
