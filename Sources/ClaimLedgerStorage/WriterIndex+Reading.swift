import CanonicalJSON
import ClaimLedgerCore

/// Reading entries through the writers' index. Every entry read is checked against what the index says
/// of it (its seq, its claim); a difference throws `IndexDamage`, and the caller falls back to a replay.
extension WriterIndex {
    /// The line of entry `seq` (without its newline), parsed.
    func entry(_ seq: Int, in file: PosixFile) throws -> SignedEntry {
        let line = try line(seq, in: file)
        guard let signed = try? SignedEntry.parse(line: line), signed.entry.seq == seq else {
            throw IndexDamage("entry \(seq) is not where the index says")
        }
        return signed
    }

    /// What a listing shows of claim entry `seq`: the line is parsed as JSON and only its seq, type and
    /// the listed payload members are read (the entries were verified when the index was built and
    /// have not changed since, which the index's stamps vouch for).
    func listedClaim(_ seq: Int, status: ClaimStatus, in file: PosixFile) throws -> ClaimListing {
        let line = try line(seq, in: file)
        guard let json = try? JSONParser.parse(line, limits: LedgerLimits.lineJSON), let entry = json["entry"],
              entry["seq"]?.integerValue == seq, entry["type"]?.stringValue == EntryType.claim.rawValue, let payload = entry["payload"],
              let id = payload["id"]?.stringValue, let statement = payload["statement"]?["text"]?.stringValue,
              let claimant = payload["claimant"]?.stringValue, let date = payload["date"]?.stringValue.flatMap(CalendarDate.init)
        else { throw IndexDamage("entry \(seq) is not the claim entry the index says") }
        return ClaimListing(id: id, statement: statement, claimant: claimant, date: date, seq: seq, status: status)
    }

    /// The bytes of entry `seq`'s line, without its newline.
    func line(_ seq: Int, in file: PosixFile) throws -> [UInt8] {
        guard seq >= 0, seq < state.size, let entryIndex else { throw IndexDamage("no entry \(seq)") }
        let start = try entryIndex.record(seq).lineStart
        let end = seq + 1 < state.size ? try entryIndex.record(seq + 1).lineStart : offset
        guard start >= 0, start < end, end <= offset, end - start <= LedgerLimits.maxLineBytes + 1 else {
            throw IndexDamage("entry \(seq) at bytes \(start)..<\(end)")
        }
        var line = try file.read(at: start, count: end - start)
        guard line.last == 0x0A else { throw IndexDamage("entry \(seq) does not end at byte \(end)") }
        line.removeLast()
        return line
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
        let slots = try table.slots(status: status).sorted { $0.claimSeq < $1.claimSeq }
        let reader = IndexReader(index: self, file: file)
        // Claims are read on all cores: each only reads (pread) the entries and the index.
        return try ParallelMap.map(slots) { slot in
            Result { () throws -> ClaimListing in
                let listed = try reader.index.listedClaim(slot.claimSeq, status: slot.status, in: reader.file)
                guard ClaimKey(listed.id) == slot.key else { throw IndexDamage("entry \(slot.claimSeq) is not the claim the index says") }
                return listed
            }
        }.map { try $0.get() }
    }

    static func ref(_ e: SignedEntry) -> EntryRef {
        EntryRef(seq: e.entry.seq, hash: e.hash, signer: e.entry.signer, time: e.entry.time)
    }
}

/// The index and the entries file, shared by workers that only read them (`pread`).
private struct IndexReader: @unchecked Sendable {
    let index: WriterIndex
    let file: PosixFile
}
