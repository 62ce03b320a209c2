import ClaimLedgerTiles
import LedgerCrypto
import Testing

/// Entry bundles (c2sp.org/tlog-tiles "Log entries"), signature bundles and hash tiles (FORMAT.md 16.2).
@Suite struct TileBundleTests {
    @Test func anEntryBundleIsBigEndianUInt16LengthsAndBytes() throws {
        let long = [UInt8](repeating: 0x78, count: 300)
        let bundle = try EntryBundle.encode([[], [0x61], long])
        #expect(bundle == [0x00, 0x00] + [0x00, 0x01, 0x61] + [0x01, 0x2C] + long)
        #expect(try EntryBundle.decode(bundle) == [[], [0x61], long])
        #expect(try EntryBundle.decode([]) == [])
    }

    @Test func recordsOfUpTo65535BytesFit() throws {
        let largest = [UInt8](repeating: 0x41, count: 65_535)
        let bundle = try EntryBundle.encode([largest])
        #expect(bundle.prefix(2) == [0xFF, 0xFF] && bundle.count == 65_537)
        #expect(try EntryBundle.decode(bundle) == [largest])
        let error = #expect(throws: TilesError.self) { try EntryBundle.encode([[0x41], largest + [0x41]]) }
        #expect(error?.code == .recordTooLarge)
        #expect(error?.reason == "bundle record 1 is 65536 bytes, limit 65535")
    }

    @Test(arguments: [
        ("a length cut short", [0x00] as [UInt8]),
        ("a record cut short", [0x00, 0x03, 0x61, 0x62]),
        ("a second record cut short", [0x00, 0x01, 0x61, 0x00, 0x02, 0x61]),
    ])
    func truncatedBundlesAreRefused(_ what: String, _ bytes: [UInt8]) {
        let error = #expect(throws: TilesError.self, "\(what)") { try EntryBundle.decode(bytes) }
        #expect(error?.code == .malformedTile)
    }

    @Test func aBundleOfMoreThan256RecordsIsRefused() throws {
        let bundle = try EntryBundle.encode(Array(repeating: [0x61], count: 256))
        #expect(try EntryBundle.decode(bundle).count == 256)
        #expect(throws: TilesError.self) { try EntryBundle.decode(bundle + [0x00, 0x00]) }
    }

    @Test func aSignatureBundleIs64BytesPerEntry() throws {
        let signatures = (0..<3).map { i in [UInt8](repeating: UInt8(i), count: 64) }
        let bundle = try SignatureBundle.encode(signatures)
        #expect(bundle == signatures.flatMap { $0 })
        #expect(try SignatureBundle.decode(bundle, width: 3) == signatures)
        #expect(throws: TilesError.self) { try SignatureBundle.decode(bundle, width: 2) }
        #expect(throws: TilesError.self) { try SignatureBundle.decode(Array(bundle.dropLast()), width: 3) }
        let error = #expect(throws: TilesError.self) { try SignatureBundle.encode([[UInt8](repeating: 0, count: 63)]) }
        #expect(error?.code == .recordTooLarge)
    }

    @Test func aHashTileIs32BytesPerHash() throws {
        let hashes = (0..<4).map { SHA256.hash([UInt8($0)]) }
        let bytes = HashTile.encode(hashes)
        #expect(bytes == hashes.flatMap(\.bytes))
        #expect(try HashTile.decode(bytes, width: 4) == hashes)
        #expect(throws: TilesError.self) { try HashTile.decode(bytes + [0], width: 4) }
    }
}
