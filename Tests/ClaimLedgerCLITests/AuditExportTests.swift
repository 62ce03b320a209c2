import Foundation
import Testing

/// docs/AUDIT.md step (f): one exported claim checked on its own by docs/audit/check-exported-claim.py
/// (python3 and the openssl binary only), and how it fails when the export is altered.
@Suite struct AuditExportTests {
    static let checker = AuditRepo.root + "/docs/audit/check-exported-claim.py"
    static let claim = "paris-summit-allies-and-us-envoys"

    /// Runs the checker on `export` for `claim` with the root key's verifier key (or `keys`).
    static func check(_ w: AuditWorkspace, _ export: String, claim: String = claim, keys: [String]? = nil) throws -> AuditResult {
        let trust = try keys ?? ["--verifier-key", w.verifierKey()]
        return try AuditProcess.run("python3", [checker, export, claim] + trust, cwd: w.dir)
    }

    /// Exports the workspace's ledger and returns the export's path.
    static func export(_ w: AuditWorkspace, name: String = "export.json") throws -> String {
        try w.succeed(["export", "--out", w.dir + "/" + name])
        return w.dir + "/" + name
    }

    /// Edits the export's JSON: `body` gets the whole document and the claim under test.
    static func alter(_ path: String, to out: String, claim id: String = claim,
                      _ body: (inout [String: Any], inout [String: Any]) throws -> Void) throws {
        var doc = try AuditFiles.readJSON(path)
        var claims = try #require(doc["claims"] as? [[String: Any]])
        let index = try #require(claims.firstIndex { $0["id"] as? String == id })
        try body(&doc, &claims[index])
        doc["claims"] = claims
        try AuditFiles.writeJSON(doc, to: out)
    }

    @Test func everyClaimOfTheSeedExportChecksOnItsOwn() throws {
        try AuditWorkspace.with { w in
            let export = try Self.export(w)
            let doc = try AuditFiles.readJSON(export)
            #expect(doc["proofTreeSize"] as? Int == 178 && doc["checkpoint"] is String)
            let ids = try #require(doc["claims"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(ids.count == 54)
            for id in ids {
                let r = try Self.check(w, export, claim: id)
                #expect(r.status == 0 && r.stdout.contains("ok: claim \(id):") && !r.stdout.contains("FAIL"), "\(id): \(r)")
            }
            let one = try Self.check(w, export)
            #expect(one.stdout.hasPrefix("ok: checkpoint of \(AuditWorkspace.origin), 178 entries, root "), "\(one)")
            #expect(one.stdout.split(separator: "\n").filter { $0.hasPrefix("ok: entry ") }.count == 7, "\(one)")
        }
    }

    /// After the ledger grows, a claim's new status is covered only once a checkpoint covers it.
    @Test func newStatusNeedsAFreshCheckpoint() throws {
        try AuditWorkspace.with { w in
            let grown = "summit-culmination-keep-us-from-dropping-ukraine"
            try w.grow()
            let stale = try Self.export(w, name: "stale.json")
            let r = try Self.check(w, stale, claim: grown)
            #expect(r.status == 1 && r.stdout.contains("FAIL: entry 178 (status) has no proof"), "\(r)")
            try w.saveCheckpoint(size: 179)
            let fresh = try Self.check(w, try Self.export(w, name: "fresh.json"), claim: grown)
            #expect(fresh.status == 0 && fresh.stdout.contains("ok: entry 178 (status)") && fresh.stdout.contains("status disputed"), "\(fresh)")
        }
    }

    /// Each alteration of the exported claim's line, proof, fields or checkpoint makes the checker fail.
    @Test(arguments: AuditExportAlteration.allCases)
    func alteredExportFails(_ alteration: AuditExportAlteration) throws {
        try AuditWorkspace.with { w in
            let export = try Self.export(w)
            let altered = w.dir + "/altered.json"
            try Self.alter(export, to: altered) { doc, claim in try alteration.apply(&doc, &claim) }
            let r = try Self.check(w, altered)
            #expect(r.status == 1, "\(alteration): \(r)")
            #expect(r.stdout.contains("FAIL: " + alteration.failure), "\(alteration): \(r)")
        }
    }

    /// The trust anchor is the verifier key: another key's, or none at all, is refused.
    @Test func checkerNeedsTheRootVerifierKey() throws {
        try AuditWorkspace.with { w in
            let export = try Self.export(w)
            try w.succeed(["key", "generate", "--out", w.dir + "/other.pem"], ledger: nil)
            let other = try w.succeed(["key", "verifier-key", w.dir + "/other.pem.pub", "--origin", AuditWorkspace.origin], ledger: nil)
            let wrong = try Self.check(w, export, keys: ["--verifier-key", other.stdout.trimmingCharacters(in: .newlines)])
            #expect(wrong.status == 1 && wrong.stdout.contains("FAIL: the checkpoint has no signature by a trusted verifier key"), "\(wrong)")
            let none = try Self.check(w, export, keys: [])
            #expect(none.status == 2 && none.stderr.contains("--verifier-key"), "\(none)")
            let exportKeys = try Self.check(w, export, keys: ["--trust-export-keys"])
            #expect(exportKeys.status == 0, "\(exportKeys)")
        }
    }
}

/// Ways to alter an exported claim, and the start of the failure each must cause.
enum AuditExportAlteration: String, CaseIterable, Sendable, CustomStringConvertible {
    case lineStatement, lineStatementRehashed, proofFlipped, proofDropped, proofExtra, claimStatement, claimStatus,
         proofRemoved, checkpointSize, proofRootHash

    var description: String { rawValue }

    var failure: String {
        switch self {
        case .lineStatement: return "entry 31: leaf hash "
        case .lineStatementRehashed: return "entry 31: Ed25519 signature does not verify"
        case .proofFlipped: return "entry 31: inclusion proof gives root "
        case .proofDropped: return "the proof has fewer hashes than the path from leaf 31"
        case .proofExtra: return "the proof has more hashes than the path from leaf 31"
        case .claimStatement: return "the claim's fields differ from its signed claim entry"
        case .claimStatus: return "the claim's status 'refuted' is not its latest signed status 'corroborated'"
        case .proofRemoved: return "entry 2 (source) has no proof"
        case .checkpointSize: return "checkpoint signature by \(AuditWorkspace.origin)+"
        case .proofRootHash: return "proofTreeSize/proofRootHash are not the checkpoint's"
        }
    }

    func apply(_ doc: inout [String: Any], _ claim: inout [String: Any]) throws {
        var proofs = try #require(claim["proofs"] as? [[String: Any]])
        let i = try #require(proofs.firstIndex { $0["seq"] as? Int == 31 })
        var line = try #require(proofs[i]["line"] as? String)
        var inclusion = try #require(proofs[i]["inclusion"] as? [String: Any])
        var hashes = try #require(inclusion["proof"] as? [String])
        switch self {
        case .lineStatement:
            line = line.replacingOccurrences(of: "met in Paris", with: "met in Berlin")
        case .lineStatementRehashed:
            line = try Self.rehashed(line.replacingOccurrences(of: "met in Paris", with: "met in Berlin"))
            inclusion["leafHash"] = try Self.statedHash(line)
        case .proofFlipped: hashes[2] = AuditMutation.flipLastHexDigit(hashes[2])
        case .proofDropped: hashes.removeLast()
        case .proofExtra: hashes.append(hashes[0])
        case .claimStatement: claim["statement"] = "European allies of Ukraine and US envoys met in Berlin."
        case .claimStatus: claim["status"] = "refuted"
        case .proofRemoved: proofs.remove(at: 0)
        case .checkpointSize:
            doc["checkpoint"] = (doc["checkpoint"] as? String)?.replacingOccurrences(of: "\n178\n", with: "\n179\n")
        case .proofRootHash: doc["proofRootHash"] = AuditMutation.flipLastHexDigit(try #require(doc["proofRootHash"] as? String))
        }
        if self != .proofRemoved {
            inclusion["proof"] = hashes
            proofs[i]["line"] = line
            proofs[i]["inclusion"] = inclusion
        }
        claim["proofs"] = proofs
    }

    /// The line with its `hash` recomputed (SHA-256 of 0x00 || entry bytes, via openssl), signature kept.
    static func rehashed(_ line: String) throws -> String {
        let bytes = Array(line.utf8)
        let marker = Array(#","hash":""#.utf8)
        let at = try #require((0...(bytes.count - marker.count)).last { Array(bytes[$0..<($0 + marker.count)]) == marker })
        let entry = Array(bytes[9..<at])
        let dir = try AuditFiles.makeTemporaryDirectory(prefix: "audit-rehash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AuditFiles.write([0x00] + entry, to: dir + "/leaf")
        let digest = try AuditProcess.run("openssl", ["dgst", "-sha256", "-r", dir + "/leaf"])
        let hex = String(digest.stdout.prefix(64))
        try #require(digest.status == 0 && hex.count == 64, "\(digest)")
        return String(decoding: bytes[..<at], as: UTF8.self) + #","hash":""# + hex + String(decoding: bytes[(at + marker.count + 64)...], as: UTF8.self)
    }

    static func statedHash(_ line: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return try #require(object?["hash"] as? String)
    }
}
