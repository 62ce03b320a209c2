/// A tile path of c2sp.org/tlog-tiles (and FORMAT.md 16) read back: which hash tile, entry bundle or
/// signature bundle it names. Strict: only the canonical form that `TileLayout` writes is accepted
/// (3-digit elements, `x` on all but the last, no leading zero group, `.p/<W>` with 1 ≤ W ≤ 255), so
/// that one file has one path.
public struct TilePath: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case hashes(level: Int)
        case entries
        case signatures
    }

    public let kind: Kind
    public let index: Int64
    public let width: Int

    /// Parses the path after `tile/` (as `1/x001/234.p/5`, `entries/000`); nil when it is not one.
    public init?(_ path: String) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        switch parts.removeFirst() {
        case "entries": kind = .entries
        case "signatures": kind = .signatures
        case let l where l.count == 1 && l.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }): kind = .hashes(level: Int(l)!)
        default: return nil
        }
        var width = TileLayout.width
        if parts.count >= 2, let last = parts.last, parts[parts.count - 2].hasSuffix(".p") {
            guard let w = Int(last), w >= 1, w < TileLayout.width, String(w) == last else { return nil }
            width = w
            parts.removeLast()
            parts[parts.count - 1].removeLast(2)
        }
        var index: Int64 = 0
        for (i, element) in parts.enumerated() {
            let digits = i < parts.count - 1 ? (element.hasPrefix("x") ? String(element.dropFirst()) : "") : element
            guard digits.count == 3, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let group = Int64(digits),
                  index <= (Int64.max - group) / 1000 else { return nil }
            index = index * 1000 + group
        }
        self.index = index
        self.width = width
        guard Self.path(kind, index: index, width: width) == path else { return nil }
    }

    static func path(_ kind: Kind, index: Int64, width: Int) -> String {
        switch kind {
        case .hashes(let level): String(TileID(level: level, index: index, width: width).path.dropFirst("tile/".count))
        case .entries: String(TileLayout.entryBundlePath(index: index, width: width).dropFirst("tile/".count))
        case .signatures: String(TileLayout.signatureBundlePath(index: index, width: width).dropFirst("tile/".count))
        }
    }
}
