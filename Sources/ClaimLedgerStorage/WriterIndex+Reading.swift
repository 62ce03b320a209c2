import ClaimLedgerCore

/// Reading entries through the writers' index. Every entry read is checked against what the index says
/// of it (its seq, its claim); a difference throws `IndexDamage`, and the caller falls back to a replay.
extension WriterIndex {
    /// The line of entry `seq` (without its newline), parsed.
    func entry(_ seq: Int, in file: PosixFile) throws -> SignedEntry {
        guard seq >= 0, seq < state.size, let entryIndex else { throw IndexDamage("no entry \(seq)") }
        let start = try entryIndex.record(seq).lineStart
        let end = seq + 1 < state.size ? try entryIndex.record(seq + 1).lineStart : offset
        guard start >= 0, start < end, end <= offset, end - start <= LedgerLimits.maxLineBytes + 1 else {
            throw IndexDamage("entry \(seq) at bytes \(start)..<\(end)")
        }
        let line = try file.read(at: start, count: end - start)
        guard line.last == 0x0A, let signed = try? SignedEntry.parse(line: Array(line.dropLast())), signed.entry.seq == seq else {
            throw IndexDamage("entry \(seq) is not at byte \(start)")
        }
        return signed
    }

    /// The claim `id` with its whole history, or nil when the table has no such claim.
    func claimRecord(_ id: String, in file: PosixFile) throws -> ClaimRecord? {
        guard let slot = try table.lookup(ClaimKey(id)) else { return nil }
        let record = try claimRecord(slot, in: file)
        guard record.id == id else { throw IndexDamage("entry \(slot.claimSeq) is not claim \(id)") }
        return record
    }

    /// The claim whose claim entry is `seq`, with its whole history.
    func claimRecord(seq: Int, in file: PosixFile) throws -> ClaimRecord {
        let e = try entry(seq, in: file)
        guard case .claim(let payload) = e.entry.payload, let slot = try table.lookup(ClaimKey(payload.id)), slot.claimSeq == seq else {
            throw IndexDamage("entry \(seq) is not a claim the index holds")
        }
        return try claimRecord(slot, in: file, claimEntry: e)
    }

    private func claimRecord(_ slot: ClaimSlot, in file: PosixFile, claimEntry: SignedEntry? = nil) throws -> ClaimRecord {
        let claimEntry = try claimEntry ?? entry(slot.claimSeq, in: file)
        guard case .claim(let payload) = claimEntry.entry.payload, ClaimKey(payload.id) == slot.key else {
            throw IndexDamage("entry \(slot.claimSeq) is not the claim the index says")
        }
        var history = [StatusRecord]()
        var seq = slot.latestStatusSeq ?? slot.claimSeq
        while seq != slot.claimSeq {
            guard seq > slot.claimSeq, history.count < state.size, let entryIndex else {
                throw IndexDamage("claim \(payload.id)'s history does not lead back to its claim entry")
            }
            let e = try entry(seq, in: file)
            guard case .status(let status) = e.entry.payload, status.claim == payload.id else {
                throw IndexDamage("entry \(seq) is not a status of \(payload.id)")
            }
            history.append(StatusRecord(payload: status, entry: Self.ref(e)))
            guard let previous = try entryIndex.record(seq).previous else { throw IndexDamage("status entry \(seq) has no link") }
            seq = previous
        }
        return ClaimRecord(payload: payload, entry: Self.ref(claimEntry), history: history.reversed())
    }

    /// The claims whose current status is `status` (all when nil), in ledger order.
    func listing(status: ClaimStatus?, in file: PosixFile) throws -> [ClaimListing] {
        try table.slots(status: status).sorted { $0.claimSeq < $1.claimSeq }.map { slot in
            let e = try entry(slot.claimSeq, in: file)
            guard case .claim(let payload) = e.entry.payload, ClaimKey(payload.id) == slot.key else {
                throw IndexDamage("entry \(slot.claimSeq) is not the claim the index says")
            }
            return ClaimListing(payload: payload, seq: slot.claimSeq, status: slot.status)
        }
    }

    static func ref(_ e: SignedEntry) -> EntryRef {
        EntryRef(seq: e.entry.seq, hash: e.hash, signer: e.entry.signer, time: e.entry.time)
    }
}
