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
        var record = try claimRecord(slot, in: file)
        guard record.id == id else { throw IndexDamage("entry \(slot.claimSeq) is not claim \(id)") }
        for l in try linksByTarget(in: file)[id] ?? [] { record.add(.link(l.payload), entry: l.entry, asTarget: true) }
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

    func claimRecord(_ slot: ClaimSlot, in file: PosixFile, claimEntry: SignedEntry? = nil) throws -> ClaimRecord {
        let claimEntry = try claimEntry ?? entry(slot.claimSeq, in: file)
        guard case .claim(let payload) = claimEntry.entry.payload, ClaimKey(payload.id) == slot.key else {
            throw IndexDamage("entry \(slot.claimSeq) is not the claim the index says")
        }
        var record = ClaimRecord(payload: payload, entry: Self.ref(claimEntry), history: [])
        var chained = [SignedEntry]()
        var seq = slot.latestStatusSeq ?? slot.claimSeq
        while seq != slot.claimSeq {
            guard seq > slot.claimSeq, chained.count < state.size, let entryIndex else {
                throw IndexDamage("claim \(payload.id)'s history does not lead back to its claim entry")
            }
            let e = try entry(seq, in: file)
            guard Self.chainedClaim(of: e.entry.payload) == payload.id else {
                throw IndexDamage("entry \(seq) is not an entry of \(payload.id)'s history")
            }
            chained.append(e)
            guard let previous = try entryIndex.record(seq).previous else { throw IndexDamage("entry \(seq) has no link") }
            seq = previous
        }
        for e in chained.reversed() { record.add(e.entry.payload, entry: Self.ref(e)) }
        return record
    }

    /// The claim whose history chain an entry joins (FORMAT.md 2.3), if any.
    static func chainedClaim(of payload: Payload) -> String? {
        switch payload {
        case .status(let s): s.claim
        case .amend(let a): a.claim
        case .position(let p): p.claim
        case .review(let r): r.claim
        case .link(let l): l.from
        default: nil
        }
    }

    /// Every link entry, grouped by the claim it points to (`linkedFrom`): the link entries are found
    /// through the entry index, one sequential read of it.
    func linksByTarget(in file: PosixFile) throws -> [String: [Recorded<LinkPayload>]] {
        guard let entryIndex else { throw IndexDamage("no entry index") }
        var out = [String: [Recorded<LinkPayload>]]()
        for seq in try entryIndex.seqs(of: .link, in: 0..<state.size) {
            let e = try entry(seq, in: file)
            guard case .link(let l) = e.entry.payload else { throw IndexDamage("entry \(seq) is not a link") }
            out[l.to, default: []].append(Recorded(payload: l, entry: Self.ref(e)))
        }
        return out
    }

    /// The claims whose current status is `status` (all when nil), in ledger order.
    func listing(status: ClaimStatus?, in file: PosixFile) throws -> [ClaimListing] {
        let slots = try table.slots(status: status).sorted { $0.claimSeq < $1.claimSeq }
        let reader = IndexReader(index: self, file: file)
        // Claims are read on all cores: each only reads (pread) the entries and the index.
        return try ParallelMap.map(slots) { slot in
            Result { () throws -> ClaimListing in
                var listed = try reader.index.listedClaim(slot.claimSeq, status: slot.status, in: reader.file)
                guard ClaimKey(listed.id) == slot.key else { throw IndexDamage("entry \(slot.claimSeq) is not the claim the index says") }
                if slot.facts.isCorrected || slot.facts.isRetracted {
                    // Rare: the current text is the claim entry's with its corrections applied.
                    listed = ClaimListing(record: try reader.index.claimRecord(slot, in: reader.file))
                }
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
