import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// Damage to the derived files (`tree/hashes`, `index/head.json`, `index/claims`, `index/entries`): proofs made right after the damage,
/// and after the next append, check against a fresh signed checkpoint; verify passes; the tree file ends
/// byte for byte equal to one rebuilt from scratch.
@Suite("Reliability: derived files")
struct ReliabilityDerivedFileTests {
    enum Damage: String, CaseIterable, Sendable {
        case deleteTree, emptyTree, halfTree, oddLengthTree, garbageAfterTree, flippedTreeByte, randomTree
        case deleteIndex, randomIndex, truncatedIndex, indexOffsetPlusOne, indexOffsetOfEarlierLine, indexOffsetPastEnd
        case olderIndex, olderIndexWithNewestOffset, bothRandom
        case deleteClaimTable, randomClaimTable, truncatedClaimTable, deleteEntryIndex, randomEntryIndex, shortEntryIndex


        func apply(_ l: RelLedger, older: [UInt8]) throws {
            let tree = l.path + "/tree/hashes", index = l.path + "/index/head.json"
            let claims = l.path + "/index/claims", entryIndex = l.path + "/index/entries"
            let treeBytes = try RelFiles.bytes(tree), indexBytes = try RelFiles.bytes(index)
            let random = { (n: Int) in (0..<n).map { _ in UInt8.random(in: 0...255) } }
            let indexText = String(decoding: indexBytes, as: UTF8.self)
            let offset = try #require(Self.offset(in: indexText))
            func withOffset(_ text: String, _ value: Int) throws -> [UInt8] {
                Array(text.replacingOccurrences(of: "\"offset\":\(try #require(Self.offset(in: text)))", with: "\"offset\":\(value)").utf8)
            }
            switch self {
            case .deleteTree: unlink(tree)
            case .emptyTree: truncate(tree, 0)
            case .halfTree: truncate(tree, off_t(treeBytes.count / 2))
            case .oddLengthTree: truncate(tree, off_t(treeBytes.count - 7))
            case .garbageAfterTree: try RelFiles.write(treeBytes + random(100), tree)
            case .flippedTreeByte: RelFiles.poke(tree, at: 0, treeBytes[0] ^ 0x01)
            case .randomTree: try RelFiles.write(random(treeBytes.count), tree)
            case .deleteIndex: unlink(index)
            case .randomIndex: try RelFiles.write(random(indexBytes.count), index)
            case .truncatedIndex: truncate(index, off_t(indexBytes.count / 2))
            case .indexOffsetPlusOne: try RelFiles.write(try withOffset(indexText, offset + 1), index)
            case .indexOffsetOfEarlierLine:
                let entries = try RelFiles.bytes(l.entries)
                let earlier = try #require(entries[..<(offset - 1)].lastIndex(of: 0x0A)) + 1
                try RelFiles.write(try withOffset(indexText, earlier), index)
            case .indexOffsetPastEnd: try RelFiles.write(try withOffset(indexText, offset + 4096), index)
            case .olderIndex: try RelFiles.write(older, index)
            case .olderIndexWithNewestOffset: try RelFiles.write(try withOffset(String(decoding: older, as: UTF8.self), offset), index)
            case .deleteClaimTable: unlink(claims)
            case .randomClaimTable: try RelFiles.write(random(RelFiles.size(claims)), claims)
            case .truncatedClaimTable: truncate(claims, off_t(RelFiles.size(claims) / 2))
            case .deleteEntryIndex: unlink(entryIndex)
            case .randomEntryIndex: try RelFiles.write(random(RelFiles.size(entryIndex)), entryIndex)
            case .shortEntryIndex: truncate(entryIndex, off_t(RelFiles.size(entryIndex) - 16))
            case .bothRandom:
                try RelFiles.write(random(treeBytes.count), tree)
                try RelFiles.write(random(indexBytes.count), index)
            }
        }

        static func offset(in text: String) -> Int? {
            guard let r = text.range(of: "\"offset\":") else { return nil }
            return Int(text[r.upperBound...].prefix { $0.isNumber })
        }
    }

    @Test("Damaged derived files: proofs check against a fresh checkpoint, appends and verify stay right", arguments: Damage.allCases)
    func damagedDerivedFiles(damage: Damage) throws {
        let l = try RelLedger()
        defer { l.remove() }
        #expect(l.status("first").status == 0)
        let older = try RelFiles.bytes(l.path + "/index/head.json")
        for n in 2...4 { #expect(l.status("status \(n)").status == 0) }  // 8 entries
        try damage.apply(l, older: older)

        // Proofs made from the damaged files, before anything repairs them.
        let early = [0, 3, 7].map { try? proveAndCheck(l, seq: $0, size: 8, checkpointAfter: true) }
        #expect(early.allSatisfy { $0 == true }, "\(damage): proofs from the damaged files do not check")
        #expect(l.status("after the damage").status == 0)
        for seq in [0, 5, 8] { #expect(try proveAndCheck(l, seq: seq, size: 9, checkpointAfter: false), "\(damage): seq \(seq)") }
        let v = l.verifyJSON()
        #expect(v.status == 0 && v.ok && v.entries == 9, "\(damage): \(v)")

        // The repaired tree file equals one rebuilt from nothing.
        let fresh = l.dir + "/fresh"
        try FileManager.default.copyItem(atPath: l.path, toPath: fresh)
        try? FileManager.default.removeItem(atPath: fresh + "/tree")
        try? FileManager.default.removeItem(atPath: fresh + "/index")
        #expect(RelProcess.tool(["checkpoint", "--ledger", fresh, "--key", l.rootKey]).status == 0)
        #expect(try RelFiles.bytes(l.path + "/tree/hashes") == RelFiles.bytes(fresh + "/tree/hashes"), "\(damage): tree file differs")
    }

    /// `prove inclusion SEQ --json`, a checkpoint of `size` (made before or after the proof), `check inclusion`.
    func proveAndCheck(_ l: RelLedger, seq: Int, size: Int, checkpointAfter: Bool) throws -> Bool {
        let checkpoint = { RelProcess.tool(["checkpoint", "--ledger", l.path, "--key", l.rootKey]) }
        if !checkpointAfter { try #require(checkpoint().status == 0) }
        let proof = RelProcess.tool(["prove", "inclusion", "\(seq)", "--json", "--ledger", l.path])
        guard proof.status == 0 else { return false }
        let file = l.dir + "/proof-\(seq).json"
        try RelFiles.write(proof.out, file)
        if checkpointAfter { try #require(checkpoint().status == 0) }
        let check = RelProcess.tool(["check", "inclusion", file, "--checkpoint", "\(l.path)/checkpoints/\(size)", "--ledger", l.path])
        return check.status == 0
    }
}
