import CanonicalJSON

/// Every size limit of the ledger format, in one place (FORMAT.md "Limits").
/// A line, payload or source beyond them is refused with `LedgerError.Code.limitExceeded`.
public enum LedgerLimits {
    /// Bytes of one line of `entries.jsonl`, newline excluded.
    public static let maxLineBytes = 256 * 1024
    /// Canonical bytes (FORMAT.md 4.2) of a new entry: a tlog-tiles entry bundle prefixes each entry with
    /// a big-endian uint16 length (FORMAT.md 16). Writers only: `verify` accepts larger existing entries.
    public static let maxNewEntryBytes = 65_535
    /// Nesting depth of a line (line object, entry, payload, quotes array, quote).
    public static let maxDepth = 8
    /// UTF-8 bytes of a statement, quote or rationale.
    public static let maxTextBytes = 16 * 1024
    /// UTF-8 bytes of a name, title, claimant, URL or other short field.
    public static let maxShortTextBytes = 2048
    /// Quotes of one claim.
    public static let maxQuotes = 64
    /// Evidence sources of one status entry.
    public static let maxEvidence = 64
    /// Labels defined by one scale entry.
    public static let maxScaleLabels = 32
    /// Root keys named by the genesis entry.
    public static let maxRootKeys = 16
    /// Bytes of one archived source.
    public static let maxSourceBytes = 64 * 1024 * 1024
    /// Warnings `verify` reports in full (FORMAT.md 8.6); it counts all of them.
    public static let maxWarningsKept = 1000
    /// Lines of one import file.
    public static let maxImportLines = 2_000_000

    /// Parser limits for one ledger line.
    public static let lineJSON = JSONLimits(
        maxBytes: maxLineBytes, maxDepth: maxDepth, maxStringBytes: maxTextBytes, maxContainerCount: 128)

    /// Parser limits for one import line (same shape as entries, plus import-only members).
    public static let importJSON = JSONLimits(
        maxBytes: maxLineBytes, maxDepth: maxDepth, maxStringBytes: maxTextBytes, maxContainerCount: 128)
}
