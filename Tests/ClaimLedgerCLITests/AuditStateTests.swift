import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Testing

/// The audit state file (`claimledger-audit/2`, FORMAT.md section 15): a JSON line, then the sorted claim
/// keys. `verify --since` must find every earlier claim in that key section.
@Suite("Audit state: claim keys section")
struct AuditStateTests {
    /// The JSON line and the key section of a saved state.
    static func sections(_ path: String) throws -> (json: [String: Any], keys: [[UInt8]]) {
        let bytes = try RelFiles.bytes(path)
        let newline = try #require(bytes.firstIndex(of: 0x0A))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes[..<newline])) as? [String: Any])
        let rest = Array(bytes[(newline + 1)...])
        // claimledger-audit/3: 60-byte records, the 16-byte key then the claim's facts.
        return (json, stride(from: 0, to: rest.count, by: 60).map { Array(rest[$0..<min(rest.count, $0 + 16)]) })
    }

    /// Appends, signed by the desk key, an entry with `payload` after the last one (bypassing the writer's rules).
    static func forge(_ l: RelLedger, _ payload: Payload) throws {
        let last = try #require(try l.parsedEntries().last)
        let key = try KeyFiles.loadPrivateKey(l.deskKey)
        let entry = Entry(seq: last.entry.seq + 1, prev: last.hash, time: last.entry.time, signer: key.publicKey.keyID, payload: payload)
        let handle = try #require(FileHandle(forWritingAtPath: l.entries))
        handle.seekToEndOfFile()
        handle.write(Data(try SignedEntry.sign(entry, with: key).line + [0x0A]))
        handle.closeFile()
    }

    @Test("The key section holds each claim's key once, sorted; --since finds old claims and --save-state merges new ones")
    func keySectionRoundTrip() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        for id in ["claim-two", "claim-three"] {
            try l.expect(["claim", "add", "--source", l.source, "--quote", "Critics disputed the cost figures", "--id", id,
                          "--statement", "Critics disputed the cost.", "--claimant", "Critics", "--ledger", l.path, "--key", l.deskKey])
        }
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])
        let (json, keys) = try Self.sections(state)
        #expect(json["format"] as? String == "claimledger-audit/3")
        #expect((json["claimKeys"] as? [String: Any])?["count"] as? Int == 3)
        let expected = ["claim-one", "claim-two", "claim-three"].map { SHA256.hash(Array($0.utf8)).withUnsafeBytes { Array($0.prefix(16)) } }
        #expect(keys == expected.sorted { $0.lexicographicallyPrecedes($1) })

        #expect(l.status("after the state").status == 0)
        try l.expect(["claim", "add", "--source", l.source, "--quote", "the bridge reopened", "--id", "claim-four",
                      "--statement", "It reopened.", "--claimant", "Officials", "--ledger", l.path, "--key", l.deskKey])
        let resumed = try l.expect(["verify", "--since", state, "--save-state", state, "--json", "--ledger", l.path])
        #expect(resumed.out.contains("\"checked\":2"))
        let merged = try Self.sections(state).keys
        #expect(merged.count == 4 && merged == merged.sorted { $0.lexicographicallyPrecedes($1) })

        // A claim id used again after the state, or a status of a claim no entry records, fails the resumed run.
        try Self.forge(l, .claim(try #require(try l.parsedEntries().compactMap { e -> ClaimPayload? in
            if case .claim(let c) = e.entry.payload, c.id == "claim-two" { return c } else { return nil }
        }.first)))
        let duplicate = RelProcess.tool(["verify", "--since", state, "--json", "--ledger", l.path])
        #expect(duplicate.status == 1 && duplicate.out.contains("\"code\":\"duplicate-id\""), "\(duplicate)")
    }

    @Test("A status of a claim the ledger never recorded fails a resumed verification")
    func unknownClaimAfterTheState() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])
        try Self.forge(l, .status(StatusPayload(claim: "claim-zero", status: .refuted, rationale: "none", evidence: [])))
        let r = RelProcess.tool(["verify", "--since", state, "--json", "--ledger", l.path])
        #expect(r.status == 1 && r.out.contains("\"code\":\"unknown-claim\""), "\(r)")
    }

    @Test("A damaged key section is refused with one line and exit 2", arguments: ["flip", "truncate", "unsorted"])
    func damagedKeySection(damage: String) throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        try l.expect(["claim", "add", "--source", l.source, "--quote", "Critics disputed the cost figures", "--id", "claim-two",
                      "--statement", "Critics disputed the cost.", "--claimant", "Critics", "--ledger", l.path, "--key", l.deskKey])
        let state = l.dir + "/audit.state"
        try l.expect(["verify", "--save-state", state, "--ledger", l.path])
        var bytes = try RelFiles.bytes(state)
        switch damage {
        case "flip": bytes[bytes.count - 3] ^= 0x40
        case "truncate": bytes.removeLast(5)
        default:  // the two keys swapped: same bytes, same sha256 of neither order, so fix the digest too
            let keys = Array(bytes.suffix(120))
            bytes.replaceSubrange((bytes.count - 120)..., with: Array(keys.suffix(60) + keys.prefix(60)))
            let text = String(decoding: bytes.prefix(bytes.count - 120), as: UTF8.self)
            let old = SHA256.hash(keys).hex, new = SHA256.hash(Array(keys.suffix(60) + keys.prefix(60))).hex
            bytes = Array(text.replacingOccurrences(of: old, with: new).utf8) + bytes.suffix(120)
        }
        try RelFiles.write(bytes, state)
        let r = RelProcess.tool(["verify", "--since", state, "--ledger", l.path])
        #expect(r.status == 2, "\(r)")
        #expect(r.err.split(separator: "\n").count == 1 && r.err.contains("audit state"), "\(r)")
    }
}
