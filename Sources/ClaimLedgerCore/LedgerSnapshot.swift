import CanonicalJSON
import LedgerCrypto
import Merkle

/// A verified `LedgerState` written down (FORMAT.md "Audit state"), so that verification can resume
/// where it stopped: an auditor's record of what they verified, checked again only for what follows.
/// Whoever restores a snapshot trusts it; it is not evidence on its own.
extension LedgerState {
    public static let snapshotFormat = "claimledger-state/1"

    /// Without `includingClaimKeys`, a verification-only state lists no claim keys (`"claimKeys": []`).
    public func snapshot(includingClaimKeys: Bool = true) -> JSONValue {
        let keyList: [JSONValue] = keyOrder.compactMap { id in
            guard let k = keys[id] else { return nil }
            var o: [String: JSONValue] = ["name": .string(k.name), "publicKey": .string(Base64.encode(k.publicKey.rawRepresentation)),
                                          "role": .string(k.role.rawValue), "added": .number(Double(k.added))]
            if let r = k.revoked { o["revoked"] = .number(Double(r)) }
            return .object(o)
        }
        let sourceList: [JSONValue] = sourceOrder.compactMap { d in
            sources[d].map(Self.sourceItem)
        }
        let claimList: [JSONValue] = claimOrder.compactMap { id in
            claims[id].map { c in
                var item: [String: JSONValue] = [
                    "payload": Payload.claim(c.payload).json, "entry": ClaimDocuments.entry(c.entry),
                    "history": .array(c.history.map { ["payload": Payload.status($0.payload).json, "entry": ClaimDocuments.entry($0.entry)] })]
                let editorial = Self.editorialItems(c)
                if !editorial.isEmpty { item["editorial"] = .array(editorial) }
                return .object(item)
            }
        }
        var o: [String: JSONValue] = [
            "format": .string(Self.snapshotFormat), "size": .number(Double(size)), "head": .string(head.hex),
            "tree": .array(tree.edge.map { .string($0.hex) }), "keys": .array(keyList),
            "sources": .array(sourceList), "claims": .array(claimList),
        ]
        if !keepsRecords {
            o["claims"] = nil
            // Sorted by their hex text: the words compared as big-endian integers order the same way.
            let sorted = includingClaimKeys
                ? claimKeys.sorted { (UInt64(bigEndian: $0.high), UInt64(bigEndian: $0.low)) < (UInt64(bigEndian: $1.high), UInt64(bigEndian: $1.low)) }
                : []
            o["claimKeys"] = .array(sorted.map { .string($0.hex) })
        }
        addEditorialSnapshot(to: &o)
        if let origin { o["origin"] = .string(origin) }
        if let lastTime { o["lastTime"] = .string(lastTime.description) }
        if let genesisHash { o["genesis"] = .string(genesisHash.hex) }
        if !pendingKeyChanges.isEmpty {
            o["pendingKeyChanges"] = .array(pendingKeyChangesInOrder.map {
                ["payload": Payload.key($0.change).json, "entry": ClaimDocuments.entry($0.proposal)]
            })
        }
        return .object(o)
    }

    public init(snapshot json: JSONValue) throws(LedgerError) {
        self.init(keepingRecords: json["claimKeys"] == nil)
        var o = try StrictObject(json, path: "state", code: .invalidInput)
        guard try o.string("format") == Self.snapshotFormat else { throw o.fail("state.format must be \(Self.snapshotFormat)") }
        size = try o.integer("size")
        head = try o.digest("head")
        origin = try o.optionalString("origin", maxBytes: 128)
        if let t = try o.optionalString("lastTime", maxBytes: 64) {
            guard let time = Timestamp(rfc3339: t) else { throw o.fail("state.lastTime is not a time") }
            lastTime = time
        }
        genesisHash = o.has("genesis") ? try o.digest("genesis") : nil
        for item in o.has("pendingKeyChanges") ? try o.array("pendingKeyChanges", max: Int.max) : [] {
            let (payload, ref) = try Self.entryItem(item, type: .key)
            guard case .key(let change) = payload else { continue }
            pendingKeyChanges[ref.hash] = PendingKeyChange(change: change, proposal: ref)
        }
        var edge = [SHA256Digest]()
        for item in try o.array("tree", max: 64) {
            guard let s = item.stringValue, let d = SHA256Digest(hex: s) else { throw o.fail("state.tree holds a non-hash") }
            edge.append(d)
        }
        guard let restored = CompactTree(size: Int64(size), edge: edge) else {
            throw o.fail("state.tree has \(edge.count) hashes, a tree of \(size) needs \(size.nonzeroBitCount)")
        }
        tree = restored
        for item in try o.array("keys", max: Int.max) {
            var k = try StrictObject(item, path: "state.keys[]", code: .invalidInput)
            guard let role = KeyPayload.Role(rawValue: try k.string("role")) else { throw k.fail("state.keys[].role is unknown") }
            let record = KeyRecord(name: try k.string("name"), publicKey: try k.publicKey("publicKey"), role: role,
                                   added: try k.integer("added"), revoked: k.has("revoked") ? try k.integer("revoked") : nil)
            try k.finish()
            keys[record.keyID] = record
            keyOrder.append(record.keyID)
        }
        for item in try o.array("sources", max: Int.max) {
            let (payload, ref) = try Self.entryItem(item, type: .source, extra: "provenance")
            guard case .source(let s) = payload else { continue }
            sources[s.sha256] = SourceRecord(payload: s, entry: ref)
            if let p = item["provenance"] {
                let (pp, pref) = try Self.entryItem(p, type: .provenance)
                if case .provenance(let prov) = pp {
                    sources[s.sha256]?.provenance = prov.provenance
                    sources[s.sha256]?.provenanceEntry = pref
                }
            }
            sourceOrder.append(s.sha256)
        }
        try restoreEditorialSnapshot(&o)
        if !keepsRecords {
            let keyItems = try o.array("claimKeys", max: Int.max)
            claimKeys.reserveCapacity(keyItems.count)
            for item in keyItems {
                guard let s = item.stringValue, let key = ClaimKey(hex: s) else { throw o.fail("state.claimKeys holds a non-key") }
                claimKeys.insert(key)
            }
        }
        for item in keepsRecords ? try o.array("claims", max: Int.max) : [] {
            let (payload, ref) = try Self.entryItem(item, type: .claim, extra: "history", "editorial")
            guard case .claim(let c) = payload else { continue }
            var record = ClaimRecord(payload: c, entry: ref, history: [])
            for h in item["history"]?.arrayValue ?? [] {
                let (status, statusRef) = try Self.entryItem(h, type: .status)
                if case .status(let s) = status { record.history.append(StatusRecord(payload: s, entry: statusRef)) }
            }
            for e in item["editorial"]?.arrayValue ?? [] {
                guard let typeText = e["type"]?.stringValue, let type = EntryType(rawValue: typeText) else {
                    throw LedgerError(.invalidInput, "state.claims[].editorial[] has no known type")
                }
                let (p, r) = try Self.entryItem(e, type: type, extra: "type")
                record.add(p, entry: r)
            }
            claims[c.id] = record
            claimOrder.append(c.id)
        }
        for id in claimOrder {
            for l in claims[id]?.links ?? [] { claims[l.payload.to]?.linkedFrom.append(l) }
        }
        try o.finish()
    }

    static func entryItem(_ item: JSONValue, type: EntryType, extra: String...) throws(LedgerError) -> (Payload, EntryRef) {
        var o = try StrictObject(item, path: "state.\(type.rawValue)", code: .invalidInput)
        let payload = try Payload(type: type, json: try o.value("payload"))
        var e = try StrictObject(try o.value("entry"), path: "state.entry", code: .invalidInput)
        guard let time = Timestamp(rfc3339: try e.string("time")) else { throw e.fail("state.entry.time is not a time") }
        let ref = EntryRef(seq: try e.integer("seq"), hash: try e.digest("hash"), signer: try e.digest("signer"), time: time)
        try e.finish()
        for name in extra where o.has(name) { _ = try o.value(name) }
        try o.finish()
        return (payload, ref)
    }
}
