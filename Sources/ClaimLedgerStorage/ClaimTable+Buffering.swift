import ClaimLedgerCore
import Glibc

/// Growth, buffering and write-back of a `ClaimTable`.
extension ClaimTable {
    /// Changed slots closer than this (in slots between them) are written together: one `pread` of the
    /// span and one `pwrite`, the slots between them written back as read, instead of one `pwrite` each.
    static let mergeGap = 32

    /// Makes room for `claims` on disk, in the same file (its inode is kept): the occupied slots are
    /// copied, a chunk at a time, to an unlinked scratch file beside it; the table is emptied, sized for
    /// the new capacity (sparse) and the slots re-inserted (buffered, when the table buffers: the empty
    /// table's status bytes are all zero, so none is read). Memory stays one chunk. A crash midway
    /// leaves a table the index head (removed first by every writer) no longer vouches for.
    func grow(toHold claims: Int) throws(StoreError) {
        let wanted = Self.capacity(for: claims)
        guard wanted > capacity else { return }
        let buffering = statusColumn != nil
        try flush()
        statusColumn = nil
        let scratch = try PosixFile(path: FileSystem.directoryOf(file.path) + "/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-claims-grow",
                                    flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        unlink(scratch.path)
        let chunkSlots = 8192
        var copied = 0
        for first in stride(from: 0, to: capacity, by: chunkSlots) {
            let n = min(chunkSlots, capacity - first)
            let statuses = try read(at: Self.headerSize + capacity * Self.slotSize + first, count: n)
            guard statuses.contains(where: { $0 != 0 }) else { continue }
            let slots = try read(at: Self.headerSize + first * Self.slotSize, count: n * Self.slotSize)
            var out = [UInt8]()
            for i in 0..<n where statuses[i] != 0 { out += slots[(i * Self.slotSize)..<((i + 1) * Self.slotSize)] }
            try scratch.write(out, at: copied * Self.slotSize)
            copied += out.count / Self.slotSize
        }
        capacity = wanted
        count = 0
        guard ftruncate(file.fd, 0) == 0, ftruncate(file.fd, off_t(Self.length(capacity: capacity))) == 0 else {
            throw PosixFile.error("cannot size \(file.path)")
        }
        try writeHeader()
        if buffering {
            statusColumn = [UInt8](repeating: 0, count: capacity)
            dirty = DirtySlots(capacity: capacity, budget: dirtyBudget)
        }
        for first in stride(from: 0, to: copied, by: chunkSlots) {
            let n = min(chunkSlots, copied - first)
            let bytes = try scratch.read(at: first * Self.slotSize, count: n * Self.slotSize)
            guard bytes.count == n * Self.slotSize else { throw StoreError(.io, "cannot read back \(scratch.path)") }
            for i in 0..<n {
                guard let s = Self.decode(bytes, i * Self.slotSize) else { continue }
                let (index, _) = try find(s.key)
                try writeSlot(index, s)
                count += 1
            }
        }
    }

    /// Saves the table's header (its slots are written as they change). The index head, written after
    /// it, vouches for it.
    func save() throws(StoreError) {
        try flush()
        try writeHeader()
    }

    /// Holds the status bytes in memory and keeps up to `dirtySlots` changed slots until they are
    /// written back (see the type). A table already buffering keeps its slots and takes the new bound.
    func startBuffering(dirtySlots: Int = ClaimTable.dirtyLimit) throws(StoreError) {
        if statusColumn != nil, dirtySlots != dirtyBudget { try writeBack() }
        dirtyBudget = dirtySlots
        if statusColumn == nil { statusColumn = try read(at: Self.headerSize + capacity * Self.slotSize, count: capacity) }
        if dirty.isEmpty { dirty = DirtySlots(capacity: capacity, budget: dirtyBudget) }
    }

    /// Writes the changed slots, in slot order, and the status bytes when they changed; buffering goes on.
    func flush() throws(StoreError) {
        guard let column = statusColumn else { return }
        try writeBack()
        guard statusColumnChanged else { return }
        try file.write(column.map { $0 & Self.statusMask }, at: Self.headerSize + capacity * Self.slotSize)
        statusColumnChanged = false
    }

    func writeBack() throws(StoreError) {
        for region in dirty.regionsHoldingSlots { try writeBack(region: region) }
    }

    /// Writes the changed slots of `region` in slot order, in runs: slots at most `mergeGap` apart go
    /// in one `pwrite` of their span, read first (one `pread`) for the unchanged slots between them.
    /// The slots between are not changed ones (every changed slot of the region is in the run), so the
    /// file holds them as they are.
    func writeBack(region: Int) throws(StoreError) {
        let slots = dirty.take(region: region)
        var i = 0
        var out = [UInt8]()
        while i < slots.count {
            var j = i + 1
            while j < slots.count, slots[j].index - slots[j - 1].index <= Self.mergeGap + 1 { j += 1 }
            let first = slots[i].index, span = slots[j - 1].index - first + 1
            let at = Self.headerSize + first * Self.slotSize
            out.removeAll(keepingCapacity: true)
            if span == j - i {
                for k in i..<j { Self.encode(slots[k].slot, into: &out) }
            } else {
                let old = try read(at: at, count: span * Self.slotSize)
                var next = first
                for k in i..<j {
                    let index = slots[k].index
                    if index > next { out += old[((next - first) * Self.slotSize)..<((index - first) * Self.slotSize)] }
                    Self.encode(slots[k].slot, into: &out)
                    next = index + 1
                }
            }
            try file.write(out, at: at)
            i = j
        }
    }
}

/// The changed slots of a buffering `ClaimTable`, by region of 4,096 slots (320 KiB of the file): a
/// region is written back (`ClaimTable.writeBack(region:)`) when it holds `regionLimit` changed slots
/// and another one comes, the table's budget shared among its regions, so that at most `budget` slots
/// are held. A region is written when it fills, so that the slots of one write-back lie close together
/// (a write-back of all at once needs about twice the memory for the same density); the rest wait for
/// `flush`.
struct DirtySlots {
    static let regionShift = 12

    private var slots: [Int: ClaimSlot] = [:]
    /// The changed slots of each region, in the order they first changed.
    private var regions: [[Int]]
    private let regionLimit: Int

    init(capacity: Int, budget: Int) {
        let count = (capacity + (1 << Self.regionShift) - 1) >> Self.regionShift
        regions = Array(repeating: [], count: count)
        regionLimit = max(1, budget / max(1, count))
    }

    var isEmpty: Bool { slots.isEmpty }
    var regionsHoldingSlots: [Int] { regions.indices.filter { !regions[$0].isEmpty } }

    subscript(index: Int) -> ClaimSlot? { slots[index] }

    /// The region of `index` when it must be written back before slot `index` joins it: it is full and
    /// does not hold that slot yet. The slot joins the emptied region, so that the latest change stays
    /// in memory (a claim's first status follows its claim entry: one write for both).
    func fullRegion(before index: Int) -> Int? {
        let region = index >> Self.regionShift
        return regions[region].count >= regionLimit && slots[index] == nil ? region : nil
    }

    /// Keeps `slot` as the new content of slot `index`.
    mutating func set(_ index: Int, _ slot: ClaimSlot) {
        if slots.updateValue(slot, forKey: index) == nil { regions[index >> Self.regionShift].append(index) }
    }

    /// Removes the changed slots of `region` and returns them in slot order.
    mutating func take(region: Int) -> [(index: Int, slot: ClaimSlot)] {
        let indices = regions[region].sorted()
        regions[region].removeAll(keepingCapacity: true)
        return indices.map { ($0, slots.removeValue(forKey: $0)!) }
    }
}
