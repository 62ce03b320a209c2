import ClaimLedgerServer
import ClaimLedgerStorage
import ClaimLedgerTiles
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The newsroom server serves the paths of `claimledger tiles` with the same bytes (FORMAT.md 16).
@Suite("Tile routes") struct TileRoutesTests {
    @Test func everyPublishedFileIsServedByteForByte() async throws {
        try await withApp(seed: true) { ledger, client in
            let out = ledger.dir + "/tiles"
            let store = try LedgerStore.open(ledger.ledger)
            let verified = try store.verifiedLedger()
            _ = try TileWriter(directory: out).publish(verified, checkpoints: CheckpointFiles(ledgerDirectory: ledger.ledger))
            _ = try TileSources.publish(verified.state, treeSize: 394, archive: store.archive, to: out)
            let files = (FileManager.default.enumerator(atPath: out)?.allObjects as? [String] ?? [])
                .filter { !$0.hasPrefix(".") && !(try! URL(fileURLWithPath: out + "/" + $0).resourceValues(forKeys: [.isDirectoryKey]).isDirectory!) }
            #expect(files.count > 30)
            for file in files {
                let served = try await client.execute(uri: "/" + file, method: .get) { response in
                    (response.status, Array(response.body.readableBytesView))
                }
                #expect(served.0 == .ok, "\(file)")
                let published = Array(try Data(contentsOf: URL(fileURLWithPath: out + "/" + file)))
                #expect(served.1 == published, "\(file)")
            }
        }
    }

    @Test(arguments: ["/tile/0/001", "/tile/0/1", "/tile/0/000.p/0", "/tile/0/000.p/256", "/tile/9/000", "/tile/entries/x000/001",
                      "/tile/entries/000.p/395", "/tile/other/000", "/sources/sha256/00"])
    func pathsNotPublishedAre404(path: String) async throws {
        try await withApp(seed: true) { _, client in
            let status = try await client.fetch(path).status
            #expect(status == .notFound, "\(path)")
        }
    }
}
