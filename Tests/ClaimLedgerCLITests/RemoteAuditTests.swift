import Foundation
import Glibc
import Testing

/// `claimledger audit URL` against `claimledger tiles` served by a plain static web server (Python's
/// http.server) on loopback: a first audit downloads everything, the next only what is new; a forked log,
/// a changed published bundle and a network error are refused and leave the mirror as it was.
@Suite(.serialized) struct RemoteAuditTests {
    /// `python3 -m http.server` on a free loopback port, serving `directory`; stopped when released.
    final class StaticServer {
        let process = Process()
        let url: String

        init(directory: String) throws {
            let log = directory + ".server.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = FileHandle.nullDevice
            try process.run()
            var port: String?
            for _ in 0..<200 where port == nil {
                usleep(50_000)
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                port = text.split(separator: " ").firstIndex(of: "port").map { String(text.split(separator: " ")[$0 + 1]) }
            }
            url = "http://127.0.0.1:\(try #require(port, "http.server did not start"))"
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func publish(_ ws: AuditWorkspace, to dir: String) throws {
        try ws.succeed(["tiles", "--out", dir])
    }

    @Test func followsALogIncrementallyAndRefusesForksChangedTilesAndRollbacks() throws {
        try AuditWorkspace.with { ws in
            let site = ws.dir + "/published", mirror = ws.dir + "/mirror"
            try ws.saveCheckpoint(size: AuditWorkspace.seedSize)
            try publish(ws, to: site)
            let server = try StaticServer(directory: site)
            let key = try ws.verifierKey()
            let audit = { try ws.run(["audit", server.url, "--key", key, "--mirror", mirror], ledger: nil) }

            let first = try audit()
            #expect(first.status == 0 && first.stdout.contains("\(AuditWorkspace.seedSize) new entries verified"), "\(first)")
            #expect(try AuditFiles.bytes(mirror + "/entries.jsonl") == AuditFiles.bytes(ws.ledger + "/entries.jsonl"),
                    "the mirror rebuilds the ledger's lines byte for byte")
            let again = try audit()
            #expect(again.status == 0 && again.stdout.contains("still at checkpoint"), "\(again)")

            // One new entry: the checkpoint, one bundle, its signatures and the hash tile it changes.
            try ws.grow()
            try ws.saveCheckpoint(size: AuditWorkspace.seedSize + 1)
            try publish(ws, to: site)
            let state = try AuditFiles.bytes(mirror + "/audit-state")
            let next = try audit()
            #expect(next.status == 0 && next.stdout.contains("1 new entries verified (4 requests"), "\(next)")
            #expect(try AuditFiles.bytes(mirror + "/audit-state") != state)

            // The mirror is a ledger: local commands read it.
            #expect(try ws.run(["verify"], ledger: mirror).status == 0)
            let saved = try AuditFiles.bytes(mirror + "/audit-state")
            let entries = try AuditFiles.bytes(mirror + "/entries.jsonl")

            // A changed hash tile (which tlog-tiles clients trust for proofs), then a changed bundle: the
            // part the mirror holds differs.
            try ws.grow()
            try ws.saveCheckpoint(size: AuditWorkspace.seedSize + 2)
            try publish(ws, to: site)
            let hashTile = site + "/tile/0/000.p/\(AuditWorkspace.seedSize + 2)"
            let original = try AuditFiles.bytes(hashTile)
            var forgedTile = original
            forgedTile[40] ^= 1
            try AuditFiles.write(forgedTile, to: hashTile)
            let changedTile = try audit()
            #expect(changedTile.status == 1 && changedTile.stderr.contains("hash tile"), "\(changedTile)")
            #expect(try AuditFiles.bytes(mirror + "/audit-state") == saved && AuditFiles.bytes(mirror + "/entries.jsonl") == entries)
            try AuditFiles.write(original, to: hashTile)
            let bundle = site + "/tile/entries/000.p/\(AuditWorkspace.seedSize + 2)"
            var bytes = try AuditFiles.bytes(bundle)
            let at = try #require(bytes.indices.dropFirst(100).first { bytes[$0] == UInt8(ascii: "a") })
            bytes[at] = UInt8(ascii: "b")
            try AuditFiles.write(bytes, to: bundle)
            let changed = try audit()
            #expect(changed.status == 1 && changed.stderr.contains("changed a published entry bundle"), "\(changed)")
            #expect(try AuditFiles.bytes(mirror + "/audit-state") == saved && AuditFiles.bytes(mirror + "/entries.jsonl") == entries)

            // A fork: the same keys publish another history of a larger size.
            let forged = ws.dir + "/forged"
            try ws.buildForgedLedger(at: forged)
            for minute in 1...3 {
                try ws.succeed(["claim", "status", "summit-culmination-keep-us-from-dropping-ukraine", "disputed", "--rationale",
                                "Forged history, entry \(minute).", "--key", ws.deskKey], ledger: forged,
                               env: ["CLAIMLEDGER_TIME": "2026-12-01T09:0\(minute):00Z"])
            }
            try ws.succeed(["checkpoint", "--key", ws.rootKey], ledger: forged)
            try FileManager.default.removeItem(atPath: site)
            try ws.succeed(["tiles", "--out", site], ledger: forged)
            let fork = try audit()
            #expect(fork.status == 1 && (fork.stderr.contains("forked") || fork.stderr.contains("changed a published")), "\(fork)")
            #expect(try AuditFiles.bytes(mirror + "/audit-state") == saved && AuditFiles.bytes(mirror + "/entries.jsonl") == entries)

            // A network error changes nothing either.
            let offline = try ws.run(["audit", "http://127.0.0.1:9", "--key", key, "--mirror", mirror], ledger: nil)
            #expect(offline.status == 3, "\(offline)")
            #expect(try AuditFiles.bytes(mirror + "/audit-state") == saved)
            withExtendedLifetime(server) {}
        }
    }

    @Test func theMirrorRefusesAnotherLogsKey() throws {
        try AuditWorkspace.with { ws in
            try ws.saveCheckpoint(size: AuditWorkspace.seedSize)
            try publish(ws, to: ws.dir + "/published")
            let server = try StaticServer(directory: ws.dir + "/published")
            let other = try ws.run(["audit", server.url, "--key", "other.example/log+00000000+AXC6lo7Wz5xeOa3Zk+AtnPLehOFnhx0FDAJ2mLO+XNKU",
                                    "--mirror", ws.dir + "/mirror"], ledger: nil)
            #expect(other.status == 2, "a malformed or foreign key: \(other)")
            withExtendedLifetime(server) {}
        }
    }
}
