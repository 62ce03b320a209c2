import ClaimLedgerCore
import Glibc

/// The claims a streamed batch (an import) knows while it checks its items: the writers' index's claim
/// table (the ledger's claims, read only here) and an overlay `ClaimTable` in an unlinked temporary file
/// in the ledger's directory (as `BatchSpillFile`) that holds the batch's new claims and the facts it
/// changes, so that neither grows the process's memory with the batch (the state tracks its new claims
/// here: `earlierClaimsTrackNewClaims`). The overlay is sized from the import file up front, so that it
/// does not grow; when it must, it grows on disk. Both tables buffer (`ClaimTable.startBuffering`): their
/// status bytes are held in memory (1 byte per slot: 4 MiB for the overlay of a 2,000,000-line file).
final class BatchClaims: ClaimKeyLookup, @unchecked Sendable {
    /// The fewest bytes a line of an import file that adds a claim or changes a claim's facts can take
    /// (schemas/import-line.schema.json): a claim line names `type`, `statement`, `claimant` and a
    /// non-empty `quotes` array, at least `{"type":"claim","statement":"","claimant":"","quotes":[{}]}`
    /// and its newline (61 bytes); a status line `type`, `claim`, `status` and `rationale`, at least
    /// `{"type":"status","claim":"","status":"refuted","rationale":""}` and its newline (62 bytes); an
    /// amend line is longer still. The bound used is lower, for margin.
    static let minimumLineBytes = 48

    let ledger: ClaimTable
    let overlay: ClaimTable

    /// An overlay with room for every claim line an import file of `importBytes` bytes can hold: each line
    /// adds at most one key (a claim, or an earlier claim whose facts change), and a file holds at most
    /// `LedgerLimits.maxImportLines` lines, which caps the sparse file's size (340 MB at 2,000,000).
    init(ledger: ClaimTable, directory: String, importBytes: Int) throws(StoreError) {
        self.ledger = ledger
        let path = directory + "/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-import-claims"
        let lines = min(importBytes / Self.minimumLineBytes + 1, LedgerLimits.maxImportLines)
        overlay = try ClaimTable(creating: path, roomFor: max(1024, lines), temporary: true)
        // Both tables answer from memory where they can: a new claim's key is found absent in each
        // without a read, and the overlay's slots are written once each (ClaimTable.startBuffering).
        try overlay.startBuffering()
        try ledger.startBuffering()
    }

    func contains(_ key: ClaimKey) throws(LedgerError) -> Bool {
        if try overlay.contains(key) { return true }
        return try ledger.contains(key)
    }

    func facts(of key: ClaimKey) throws(LedgerError) -> ClaimFacts? {
        if let f = try overlay.facts(of: key) { return f }
        return try ledger.facts(of: key)
    }

    /// A new claim goes to the overlay; so do the new facts of a ledger claim (with its claim entry's
    /// seq, from the ledger's table), which stays unchanged until the batch is written and indexed.
    func record(_ key: ClaimKey, facts: ClaimFacts, claimSeq: Int?) throws(LedgerError) {
        if claimSeq != nil { return try overlay.record(key, facts: facts, claimSeq: claimSeq) }
        if try overlay.contains(key) { return try overlay.record(key, facts: facts, claimSeq: nil) }
        let slot: ClaimSlot?
        do { slot = try ledger.lookup(key) } catch { throw LedgerError(.invalidInput, "the writers' index: \(error.reason)") }
        guard let slot else { throw LedgerError(.invalidInput, "the writers' index has no claim key \(key.hex)") }
        try overlay.record(key, facts: facts, claimSeq: slot.claimSeq)
    }
}
