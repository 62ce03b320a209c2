import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// The editorial rules hold the same through the writers' index and a resumed verification
/// (`verify --since`) as in a full verification: the claim facts travel in `index/claims` and in the
/// audit state's key section (FORMAT.md 2.3, 8.7, 15).
@Suite("Editorial rules across the index and audit states") struct EditorialStateTests {
    @Test("A retraction recorded before the audit state, or after it, refuses a later status, with its seq")
    func retractionSurvivesTheStateAndTheIndex() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let editorKey = l.dir + "/editor.pem"
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: editorKey)
        try l.expect(["key", "add", editorKey + ".pub", "--name", "editor", "--role", "editor", "--ledger", l.path, "--key", l.rootKey])
        try l.expect(["scale", "add", "--default", "--ledger", l.path, "--key", l.rootKey])
        try l.expect(["claim", "status", "claim-one", "refuted", "--rationale", "No.", "--verdict", "false",
                      "--span", l.source + ":the bridge reopened", "--ledger", l.path, "--key", l.deskKey])
        // The desk cannot review its own status; the editor can.
        let own = RelProcess.tool(["claim", "review", "claim-one", "approve", "--ledger", l.path, "--key", l.deskKey])
        #expect(own.status == 1 && own.err.contains("[unauthorized-signer]"), "\(own)")
        try l.expect(["claim", "review", "claim-one", "approve", "--ledger", l.path, "--key", editorKey])
        try l.expect(["claim", "add", "--source", l.source, "--quote", "the bridge reopened", "--id", "claim-two",
                      "--statement", "Reopened.", "--claimant", "Officials", "--ledger", l.path, "--key", l.deskKey])
        try l.expect(["claim", "retract", "claim-one", "--reason", "Wrong source.", "--ledger", l.path, "--key", editorKey])
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])

        // Through the writers' index: refused before anything is written.
        let viaIndex = RelProcess.tool(["claim", "status", "claim-one", "disputed", "--rationale", "x", "--ledger", l.path, "--key", l.deskKey])
        #expect(viaIndex.status == 2 && viaIndex.err.contains("[claim-retracted]"), "\(viaIndex)")
        // A hostile writer appends it anyway: the full and the resumed verification both refuse it.
        try l.expect(["claim", "retract", "claim-two", "--reason", "Duplicate.", "--ledger", l.path, "--key", l.deskKey])
        let resumedClean = try l.expect(["verify", "--since", state, "--json", "--ledger", l.path])
        #expect(resumedClean.out.contains("\"ok\":true"))
        let seq = try l.parsedEntries().count
        try AuditStateTests.forge(l, .status(StatusPayload(claim: "claim-one", status: .refuted, rationale: "again", evidence: [])))
        for args in [["verify", "--json"], ["verify", "--since", state, "--json"]] {
            let r = RelProcess.tool(args + ["--ledger", l.path])
            #expect(r.status == 1 && r.out.contains("\"code\":\"claim-retracted\"") && r.out.contains("\"seq\":\(seq)"), "\(args) \(r)")
        }
    }

    @Test("A correction by another desk is refused after a resumed verification as in a full one")
    func amendSignerSurvivesTheState() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let otherKey = l.dir + "/other.pem"
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: otherKey)
        try l.expect(["key", "add", otherKey + ".pub", "--name", "other-desk", "--ledger", l.path, "--key", l.rootKey])
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])
        let r = RelProcess.tool(["claim", "correct", "claim-one", "--claimant", "Mayor", "--reason", "Name.", "--ledger", l.path, "--key", otherKey])
        #expect(r.status == 1 && r.err.contains("[unauthorized-signer]"), "\(r)")
        try l.expect(["claim", "correct", "claim-one", "--claimant", "Mayor", "--reason", "Name.", "--ledger", l.path, "--key", l.deskKey])
        let resumed = try l.expect(["verify", "--since", state, "--json", "--ledger", l.path])
        #expect(resumed.out.contains("\"ok\":true"))
        let listed = try l.expect(["claim", "list", "--json", "--ledger", l.path])
        #expect(listed.out.contains("\"claimant\":\"Mayor\""), "\(listed)")
    }

    @Test("A correction that only states the kind classifies the claim: not marked corrected, through the index or a replay")
    func kindOnlyCorrectionIsNotACorrection() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        try l.expect(["claim", "correct", "claim-one", "--kind", "substance", "--reason", "Its kind.", "--ledger", l.path, "--key", l.deskKey])
        let listed = try l.expect(["claim", "list", "--json", "--ledger", l.path])
        #expect(listed.out.contains("\"corrected\":false") && !listed.out.contains("\"corrected\":true"), "\(listed)")
        let shown = try l.expect(["claim", "show", "claim-one", "--ledger", l.path])
        #expect(shown.out.contains("classified at entry") && !shown.out.contains("(corrected)"), "\(shown)")
        let exported = try l.expect(["export", "--ledger", l.path])
        #expect(exported.out.contains("\"corrected\":false") && exported.out.contains("\"kind\":\"substance\""), "\(exported)")
        // A text change after it does make the claim corrected, in the index (listing) as in a replay (export).
        try l.expect(["claim", "correct", "claim-one", "--claimant", "Mayor", "--reason", "Name.", "--ledger", l.path, "--key", l.deskKey])
        let relisted = try l.expect(["claim", "list", "--json", "--ledger", l.path])
        #expect(relisted.out.contains("\"corrected\":true") && relisted.out.contains("\"claimant\":\"Mayor\""), "\(relisted)")
        let reexported = try l.expect(["export", "--ledger", l.path])
        #expect(reexported.out.contains("\"corrected\":true"), "\(reexported)")
    }

    /// `state` rewritten as the `claimledger-audit/2` it would have been: the same line with 16-byte
    /// records (the keys alone, no facts), FORMAT.md 15.
    static func downgradeToV2(_ state: String) throws {
        let bytes = try RelFiles.bytes(state)
        let newline = try #require(bytes.firstIndex(of: 0x0A))
        let records = Array(bytes[(newline + 1)...])
        let keys = stride(from: 0, to: records.count, by: 60).flatMap { records[$0..<($0 + 16)] }
        var line = String(decoding: bytes[..<newline], as: UTF8.self)
        line = line.replacingOccurrences(of: "claimledger-audit/3", with: "claimledger-audit/2")
        line = line.replacingOccurrences(of: SHA256.hash(records).hex, with: SHA256.hash(keys).hex)
        try RelFiles.write(Array(line.utf8) + [0x0A] + keys, state)
    }

    @Test("After a claimledger-audit/2 state, entries that need unknown claim facts stop the resumed run with invalid-input; the others verify")
    func auditStateV2FollowedByEditorialEntries() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let editorKey = l.dir + "/editor.pem"
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: editorKey)
        try l.expect(["key", "add", editorKey + ".pub", "--name", "editor", "--role", "editor", "--ledger", l.path, "--key", l.rootKey])
        try l.expect(["claim", "add", "--source", l.source, "--quote", "Critics disputed the cost figures", "--id", "claim-two",
                      "--statement", "The cost is disputed.", "--claimant", "Critics", "--ledger", l.path, "--key", l.deskKey])
        try l.expect(["claim", "status", "claim-two", "disputed", "--rationale", "Both sides.", "--ledger", l.path, "--key", l.deskKey])
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])
        try Self.downgradeToV2(state)
        let resume = ["verify", "--since", state, "--json", "--ledger", l.path]

        // Entries whose rules need no earlier facts: positions, links, a status, then a review of that status.
        try l.expect(["claim", "position", "claim-one", "--party", "Critics", "--party-kind", "other", "--stance", "disputes",
                      "--source", l.source, "--quote", "Critics disputed the cost figures", "--ledger", l.path, "--key", l.deskKey])
        try l.expect(["claim", "link", "claim-two", "context-for", "claim-one", "--ledger", l.path, "--key", l.deskKey])
        try l.expect(["claim", "status", "claim-one", "disputed", "--rationale", "Unclear.", "--ledger", l.path, "--key", l.deskKey])
        try l.expect(["claim", "review", "claim-one", "approve", "--ledger", l.path, "--key", editorKey])
        let clean = try l.expect(resume)
        #expect(clean.out.contains("\"ok\":true") && clean.out.contains("\"checked\":4"), "\(clean)")

        // A review of a status recorded before the state: its latest status is unknown to an audit/2 state.
        try l.expect(["claim", "review", "claim-two", "approve", "--ledger", l.path, "--key", editorKey])
        let review = RelProcess.tool(resume)
        #expect(review.status != 0 && review.out.contains("invalid-input") && review.out.contains("verify from the start"), "\(review)")
        #expect(l.verifyJSON().ok)
    }

    @Test("After a claimledger-audit/2 state, a correction by the recording desk (not an editor) asks for a verification from the start")
    func auditStateV2FollowedByACorrection() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])
        try Self.downgradeToV2(state)
        try l.expect(["claim", "correct", "claim-one", "--claimant", "Mayor", "--reason", "Name.", "--ledger", l.path, "--key", l.deskKey])
        let r = RelProcess.tool(["verify", "--since", state, "--json", "--ledger", l.path])
        #expect(r.status != 0 && r.out.contains("invalid-input") && r.out.contains("verify from the start"), "\(r)")
        #expect(l.verifyJSON().ok)
    }
}
