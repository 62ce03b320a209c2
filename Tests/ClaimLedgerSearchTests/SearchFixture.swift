import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// The seed's newsroom rebuilt in a temporary directory with keys made at run time (never ../shared): the
/// seed import (sources and claims, in French and English), the default scale, the editorial import
/// (positions, statuses with verdicts, corrections, links) and the editor's reviews, as
/// seeds/rebuild-ledger.sh does. Built once; each test works on its own copy.
struct SearchFixture: Sendable {
    let root: Ed25519PrivateKey
    let desk: Ed25519PrivateKey
    let editor: Ed25519PrivateKey
    let dir: String

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let shared: Result<SearchFixture, any Error> = Result { try SearchFixture() }

    private init() throws {
        root = try Ed25519PrivateKey.generate()
        desk = try Ed25519PrivateKey.generate()
        editor = try Ed25519PrivateKey.generate()
        dir = NSTemporaryDirectory() + "claimledger-search-seed-\(UUID().uuidString)/ledger"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: dir)
        let store = try LedgerStore.create(dir, genesis: GenesisPayload(origin: "test.example/search", keys: [NamedKey(name: "root", publicKey: root.publicKey)]),
                                           rootKey: root, time: Self.time("2026-11-25T21:00:00Z"))
        _ = try store.append([.payload(.key(.add(NamedKey(name: "desk", publicKey: desk.publicKey), role: .journalist)))],
                             key: root, time: Self.time("2026-11-25T21:01:00Z"))
        _ = try store.importFile(Self.repo + "/seeds/afp-2026-01-06.import.jsonl", key: desk, time: Self.time("2026-11-25T21:05:00Z"))
        _ = try store.append([.payload(.key(.add(NamedKey(name: "editor", publicKey: editor.publicKey), role: .editor)))],
                             key: root, time: Self.time("2026-12-06T10:00:00Z"))
        _ = try store.append([.payload(.scale(ScalePayload(labels: Self.defaultLabels)))], key: root, time: Self.time("2026-12-06T10:01:00Z"))
        _ = try store.importFile(Self.repo + "/seeds/afp-2026-01-06.editorial.import.jsonl", key: desk, time: Self.time("2026-12-06T10:05:00Z"))
        _ = try store.importFile(Self.repo + "/seeds/afp-2026-01-06.reviews.import.jsonl", key: editor, time: Self.time("2026-12-06T10:10:00Z"))
    }

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    /// A copy of the seed ledger in its own temporary directory, with the keys that may write to it.
    static func copy() throws -> (store: LedgerStore, fixture: SearchFixture) {
        let fixture = try shared.get()
        let target = NSTemporaryDirectory() + "claimledger-search-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.dir, toPath: target + "/ledger")
        // A copy must not start from the seed's search index (tests build their own).
        try? FileManager.default.removeItem(atPath: target + "/ledger/index/search.sqlite")
        return (try LedgerStore.open(target + "/ledger"), fixture)
    }

    static let defaultLabels: [ScaleLabel] = [
        ("accurate", "Accurate", 5), ("mostly-accurate", "Mostly accurate", 4), ("partly-accurate", "Partly accurate", 3),
        ("misleading", "Misleading", 2), ("needs-context", "Needs context", 3), ("false", "False", 1), ("unproven", "Unproven", 3),
    ].map { ScaleLabel(label: $0.0, description: $0.1 + ".", rating: ReviewRating(alternateName: $0.1, ratingValue: $0.2, bestRating: 5, worstRating: 1)) }
}

extension LedgerStore {
    /// The state with every claim's record, for the tests' expectations (a full replay).
    func fullState() throws -> LedgerState { try verifiedState() }
}
