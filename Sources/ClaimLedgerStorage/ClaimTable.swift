import ClaimLedgerCore
import Glibc

/// A claim's row in `index/claims`: where its claim entry is, its latest status and its facts.
struct ClaimSlot: Equatable, Sendable {
    var key: ClaimKey
    var claimSeq: Int
    /// The seq of the latest entry of its history chain (status, amend, position, review, link from
    /// it); nil before any.
    var latestStatusSeq: Int?
    var status: ClaimStatus
    var facts: ClaimFacts = .unknown
}

/// `index/claims` (FORMAT.md section 2.3): an open-addressing hash table of the ledger's claims keyed by
/// `ClaimKey`, so that an append or a query finds a claim with a few `pread`s whatever the ledger's size.
///
/// Layout, little-endian: a 32-byte header (the 16 ASCII bytes `claimledger-ct/2`, capacity u64, count
/// u64), then `capacity` (a power of two) slots of 80 bytes: the first 16 bytes of SHA-256 of the claim
/// id, the claim entry's seq + 1 (u64; 0 marks an empty slot), a u64 whose low 56 bits hold the
/// latest chained entry's seq + 1 (0: none) and whose high byte is the current status (`statusCodes`),
/// the claim's facts (`ClaimFacts.encode`, 44 bytes) and 4 zero bytes; then
/// `capacity` status bytes, one per slot: 0 for an empty slot, else 1 + its status code, so that a
/// listing by status scans one byte per slot. A key's probe starts at slot `(first 8 bytes as u64 LE)
/// mod capacity` and goes on linearly to the first empty slot. The load factor stays at or under 0.7.
///
/// The table is a file updated in place with `pread` and `pwrite`; it is never loaded into memory. It
/// grows on disk (`grow(toHold:)`) and the file keeps its inode. A writer of many entries (an import)
/// calls `startBuffering()`: the status bytes (1 byte per slot) are then held in memory, so that a key
/// that is not in the table is found absent without a read, and changed slots are kept (`DirtySlots`:
/// a bounded number, by region of the table) and written once each, in slot order and in runs, when
/// their region fills or on `flush()` (which `save` calls). Derived data, guarded by the index head's
/// stamps: whoever finds it inconsistent rebuilds it from a full verification.
final class ClaimTable: ClaimKeyLookup, @unchecked Sendable {
    static let magic = Array("claimledger-ct/2".utf8)
    static let headerSize = 32, slotSize = 80
    static let statusCodes: [ClaimStatus] = [.unverified, .corroborated, .disputed, .refuted, .unverifiable]

    var capacity: Int
    var count: Int
    let file: PosixFile
    /// The status bytes, while buffering. In memory only, the high 5 bits of an occupied slot's byte hold
    /// its key's fingerprint (`fingerprint(of:)`) once the slot has been written here (0: unknown, as
    /// for the slots read from the file), so that a probe passes a slot holding another key without
    /// reading it; `flush()` writes the bytes without them. Lookups only read the column (a table that
    /// buffered may be queried from several threads afterwards); only writes, on the writer's thread,
    /// set fingerprints.
    var statusColumn: [UInt8]?
    /// Whether a status byte changed since the column was last written.
    var statusColumnChanged = false
    /// Slots changed since they were last written, while buffering.
    var dirty = DirtySlots(capacity: 0, budget: 0)
    /// How many changed slots a buffering table keeps at most (`startBuffering`).
    var dirtyBudget = ClaimTable.dirtyLimit
    static let dirtyLimit = 1 << 15

    /// A new empty table in the file `path` (replaced in place), with room for `claims` claims. The file
    /// is sparse until slots are written: memory stays small however large the ledger.
    /// With `temporary`, `path` must not exist and is unlinked once open (a scratch table in the ledger's
    /// directory that a crash cannot leave behind, as `BatchSpillFile`).
    init(creating path: String, roomFor claims: Int, temporary: Bool = false) throws(StoreError) {
        let f = temporary ? try PosixFile(path: path, flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
                          : try PosixFile(path: path, flags: O_RDWR | O_CREAT | O_TRUNC)
        if temporary { unlink(path) }
        capacity = Self.capacity(for: claims)
        count = 0
        file = f
        guard ftruncate(f.fd, off_t(Self.length(capacity: capacity))) == 0 else {
            throw PosixFile.error("cannot size \(path)")
        }
        try writeHeader()
    }

    /// The table in `path`, read and written in place. Nil when it is missing or its header does not
    /// match its size (then the index is rebuilt).
    init?(path: String, writable: Bool) {
        guard let f = try? PosixFile(path: path, flags: writable ? O_RDWR : O_RDONLY),
              let header = try? f.read(at: 0, count: Self.headerSize), header.count == Self.headerSize,
              Array(header[0..<16]) == Self.magic else { return nil }
        let cap = Int(truncatingIfNeeded: Self.u64(header, 16)), n = Int(truncatingIfNeeded: Self.u64(header, 24))
        guard cap >= 1, cap <= 1 << 40, cap & (cap - 1) == 0, n >= 0, n * 10 <= cap * 7,
              (try? f.size()) == Self.length(capacity: cap) else { return nil }
        capacity = cap
        count = n
        file = f
    }

    /// The file's length: header, slots, status bytes.
    static func length(capacity: Int) -> Int { headerSize + capacity * (slotSize + 1) }

    static func capacity(for claims: Int) -> Int {
        var cap = 1024
        while claims * 10 > cap * 7 { cap *= 2 }
        return cap
    }

    func contains(_ key: ClaimKey) throws(LedgerError) -> Bool {
        do { return try find(key).slot != nil } catch { throw LedgerError(.invalidInput, "the writers' index: \(error.reason)") }
    }

    func lookup(_ key: ClaimKey) throws(StoreError) -> ClaimSlot? { try find(key).slot }

    /// Records a new claim. The caller has checked that its id is new (`LedgerState` rules).
    func insert(_ key: ClaimKey, claimSeq: Int, facts: ClaimFacts = .unknown) throws(StoreError) {
        if (count + 1) * 10 > capacity * 7 { try grow(toHold: count + 1) }
        let (index, existing) = try find(key)
        guard existing == nil else { throw StoreError(.invalidLedger, "the writers' index already holds claim key \(key.hex)") }
        try writeSlot(index, ClaimSlot(key: key, claimSeq: claimSeq, latestStatusSeq: nil, status: .unverified, facts: facts))
        count += 1
    }

    /// Makes `seq` the latest entry of the claim's history chain (and `status` its status, for a status
    /// entry); returns the seq the chain held before (the previous chained entry, or the claim entry).
    func chain(_ key: ClaimKey, seq: Int, status: ClaimStatus?) throws(StoreError) -> Int {
        let (index, existing) = try find(key)
        guard var slot = existing else { throw StoreError(.invalidLedger, "the writers' index has no claim key \(key.hex)") }
        let previous = slot.latestStatusSeq ?? slot.claimSeq
        slot.latestStatusSeq = seq
        if let status { slot.status = status }
        try writeSlot(index, slot)
        return previous
    }

    func facts(of key: ClaimKey) throws(LedgerError) -> ClaimFacts? {
        do { return try find(key).slot?.facts } catch { throw LedgerError(.invalidInput, "the writers' index: \(error.reason)") }
    }

    /// Sets the facts of `key`, inserting it first when `claimSeq` is given (a rebuild's new claim).
    func record(_ key: ClaimKey, facts: ClaimFacts, claimSeq: Int?) throws(LedgerError) {
        do throws(StoreError) {
            if let claimSeq { return try insert(key, claimSeq: claimSeq, facts: facts) }
            let (index, existing) = try find(key)
            guard var slot = existing else { throw StoreError(.invalidLedger, "the writers' index has no claim key \(key.hex)") }
            slot.facts = facts
            try writeSlot(index, slot)
        } catch { throw LedgerError(.invalidInput, "the writers' index: \(error.reason)") }
    }

    /// Every claim whose latest status is `status` (or every claim), in table order.
    func slots(status: ClaimStatus? = nil) throws(StoreError) -> [ClaimSlot] {
        try flush()
        let code = status.map { UInt8(Self.statusCodes.firstIndex(of: $0)! + 1) }
        let length = Self.length(capacity: capacity)
        // Mapped rather than read: only the status bytes and the matching slots are touched.
        guard let base = mmap(nil, length, PROT_READ, MAP_SHARED, file.fd, 0), base != MAP_FAILED else {
            throw PosixFile.error("cannot map \(file.path)")
        }
        defer { munmap(base, length) }
        return Self.scan(UnsafeRawBufferPointer(start: base, count: length), capacity: capacity, code: code)
    }

    /// The occupied slots of a table image whose status byte is `code` (1 + status code; all when nil).
    private static func scan(_ raw: UnsafeRawBufferPointer, capacity: Int, code: UInt8?) -> [ClaimSlot] {
        var out = [ClaimSlot]()
        let statuses = headerSize + capacity * slotSize
        // Eight status bytes at a time: a word with no byte equal to `code` (or no non-zero byte) is
        // skipped whole (the "has a zero byte" test on the word XOR the code repeated).
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let pattern = UInt64(code ?? 0) &* ones
        var i = 0
        while i < capacity {
            if i + 8 <= capacity {
                let word = raw.loadUnaligned(fromByteOffset: statuses + i, as: UInt64.self)
                let x = word ^ pattern
                let mayMatch = code == nil ? word != 0 : ((x &- ones) & ~x & highs) != 0
                if !mayMatch {
                    i += 8
                    continue
                }
            }
            let end = min(capacity, i + 8)
            while i < end {
                let b = raw[statuses + i]
                if b != 0 && (code == nil || b == code) {
                    let at = headerSize + i * slotSize
                    if let s = decode(Array(raw[at..<(at + slotSize)]), 0) { out.append(s) }
                }
                i += 1
            }
        }
        return out
    }

    // MARK: slots

    func find(_ key: ClaimKey) throws(StoreError) -> (index: Int, slot: ClaimSlot?) {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: key.high) & mask
        for _ in 0..<capacity {
            let slot: ClaimSlot?
            if statusColumn != nil {
                let byte = statusColumn![index]
                guard byte != 0 else { return (index, nil) }
                let known = byte >> Self.fingerprintShift
                if known != 0 && known != Self.fingerprint(of: key) {  // another key: no read needed
                    index = (index + 1) & mask
                    continue
                }
                if let d = dirty[index] { slot = d } else { slot = try readSlot(index) }
            } else {
                slot = try readSlot(index)
            }
            guard let slot else { return (index, nil) }
            if slot.key == key { return (index, slot) }
            index = (index + 1) & mask
        }
        throw StoreError(.invalidLedger, "the writers' index claim table is full")
    }

    /// The slot at `index`, read without allocating; nil when it is empty.
    private func readSlot(_ index: Int) throws(StoreError) -> ClaimSlot? {
        let offset = Self.headerSize + index * Self.slotSize
        return try withUnsafeTemporaryAllocation(byteCount: Self.slotSize, alignment: 8) { (buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> ClaimSlot? in
            var done = 0
            while done < Self.slotSize {
                let n = pread(file.fd, buffer.baseAddress! + done, Self.slotSize - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    if n == 0 { throw StoreError(.invalidLedger, "the writers' index claim table is shorter than its header says") }
                    throw PosixFile.error("cannot read \(file.path)")
                }
                done += n
            }
            return Self.decode(UnsafeRawBufferPointer(buffer))
        }
    }

    func read(at offset: Int, count n: Int) throws(StoreError) -> [UInt8] {
        let bytes = try file.read(at: offset, count: n)
        guard bytes.count == n else { throw StoreError(.invalidLedger, "the writers' index claim table is shorter than its header says") }
        return bytes
    }

    static let statusMask: UInt8 = 0x07, fingerprintShift: UInt8 = 3

    /// 1 to 31, from the key bits that do not choose its first slot.
    static func fingerprint(of key: ClaimKey) -> UInt8 { UInt8(truncatingIfNeeded: 1 + (key.low >> 32) % 31) }

    func writeSlot(_ index: Int, _ slot: ClaimSlot) throws(StoreError) {
        if statusColumn != nil {
            statusColumn![index] = UInt8(Self.statusCodes.firstIndex(of: slot.status)! + 1) | Self.fingerprint(of: slot.key) << Self.fingerprintShift
            statusColumnChanged = true
            if let full = dirty.fullRegion(before: index) { try writeBack(region: full) }
            dirty.set(index, slot)
            return
        }
        let offset = Self.headerSize + index * Self.slotSize
        let statusAt = Self.headerSize + capacity * Self.slotSize + index
        let statusByte = UInt8(Self.statusCodes.firstIndex(of: slot.status)! + 1)
        try file.write(Self.encode(slot), at: offset)
        try file.write([statusByte], at: statusAt)
    }

    /// The 80 bytes of a slot.
    static func encode(_ slot: ClaimSlot) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.slotSize)
        encode(slot, into: &bytes)
        return bytes
    }

    /// Appends the 80 bytes of a slot to `bytes`.
    static func encode(_ slot: ClaimSlot, into bytes: inout [UInt8]) {
        Self.append(slot.key.high, to: &bytes)
        Self.append(slot.key.low, to: &bytes)
        Self.append(UInt64(slot.claimSeq + 1), to: &bytes)
        let code = UInt64(Self.statusCodes.firstIndex(of: slot.status)!)
        Self.append(code << 56 | UInt64(slot.latestStatusSeq.map { $0 + 1 } ?? 0), to: &bytes)
        slot.facts.encode(into: &bytes)
        bytes += [0, 0, 0, 0]
    }

    func writeHeader() throws(StoreError) {
        var bytes = [UInt8](repeating: 0, count: Self.headerSize)
        Self.header(capacity: capacity, count: count, into: &bytes)
        try file.write(bytes, at: 0)
    }

    private static func header(capacity: Int, count: Int, into bytes: inout [UInt8]) {
        var h = magic
        append(UInt64(capacity), to: &h)
        append(UInt64(count), to: &h)
        bytes.replaceSubrange(0..<headerSize, with: h)
    }

    static func decode(_ bytes: [UInt8], _ at: Int) -> ClaimSlot? {
        bytes.withUnsafeBytes { decode(UnsafeRawBufferPointer(rebasing: $0[at..<(at + slotSize)])) }
    }

    /// The slot in `raw` (its first `slotSize` bytes); nil when it is empty.
    private static func decode(_ raw: UnsafeRawBufferPointer) -> ClaimSlot? {
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let seq = u64(16)
        guard seq != 0 else { return nil }
        let latest = u64(24)
        let code = Int(latest >> 56), statusSeq = latest & 0x00FF_FFFF_FFFF_FFFF
        let facts = ClaimFacts(decoding: raw, at: 32) ?? .unknown
        return ClaimSlot(key: ClaimKey(high: u64(0), low: u64(8)), claimSeq: Int(seq - 1),
                         latestStatusSeq: statusSeq == 0 ? nil : Int(statusSeq - 1),
                         status: code < statusCodes.count ? statusCodes[code] : .unverified, facts: facts)
    }

    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
        return v
    }

    static func append(_ v: UInt64, to bytes: inout [UInt8]) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}
