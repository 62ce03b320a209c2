import CanonicalJSON
import LedgerCrypto

/// The editorial members of a state snapshot (FORMAT.md 15): the scale, the `supersedes` edges, each
/// source's current provenance, and (full states) each claim's editorial entries.
extension LedgerState {
    static func sourceItem(_ r: SourceRecord) -> JSONValue {
        var o: [String: JSONValue] = ["payload": Payload.source(r.payload).json, "entry": ClaimDocuments.entry(r.entry)]
        if let p = r.provenance, let e = r.provenanceEntry {
            o["provenance"] = ["payload": Payload.provenance(ProvenancePayload(source: r.payload.sha256, provenance: p)).json,
                               "entry": ClaimDocuments.entry(e)]
        }
        return .object(o)
    }

    static func editorialItems(_ c: ClaimRecord) -> [JSONValue] {
        var items: [(Int, JSONValue)] = []
        func add(_ p: Payload, _ e: EntryRef) {
            items.append((e.seq, ["type": .string(p.type.rawValue), "payload": p.json, "entry": ClaimDocuments.entry(e)]))
        }
        for a in c.amends { add(.amend(a.payload), a.entry) }
        for p in c.positions { add(.position(p.payload), p.entry) }
        for l in c.links { add(.link(l.payload), l.entry) }
        for r in c.reviews { add(.review(r.payload), r.entry) }
        return items.sorted { $0.0 < $1.0 }.map(\.1)
    }

    func addEditorialSnapshot(to o: inout [String: JSONValue]) {
        if !scaleOrder.isEmpty {
            o["scale"] = .array(scaleOrder.compactMap { label in
                scale[label].map { d in
                    ["label": d.label.json, "entry": ClaimDocuments.entry(d.entry),
                     "earlier": .array(d.earlier.map { ["label": $0.payload.json, "entry": ClaimDocuments.entry($0.entry)] })]
                }
            })
        }
        if !supersedes.isEmpty {
            let pairs = supersedes.flatMap { from, tos in tos.map { (from.hex, $0.hex) } }.sorted { $0 < $1 }
            o["supersedes"] = .array(pairs.map { [.string($0.0), .string($0.1)] })
        }
    }

    mutating func restoreEditorialSnapshot(_ o: inout StrictObject) throws(LedgerError) {
        for item in o.has("scale") ? try o.array("scale", max: Int.max) : [] {
            var d = try StrictObject(item, path: "state.scale[]", code: .invalidInput)
            let label = try ScaleLabel(json: try d.value("label"), path: "state.scale[].label")
            let entry = try Self.entryRef(try d.value("entry"))
            var earlier = [Recorded<ScaleLabel>]()
            for e in try d.array("earlier", max: Int.max) {
                var eo = try StrictObject(e, path: "state.scale[].earlier[]", code: .invalidInput)
                earlier.append(Recorded(payload: try ScaleLabel(json: try eo.value("label"), path: "state.scale[].earlier[].label"),
                                        entry: try Self.entryRef(try eo.value("entry"))))
                try eo.finish()
            }
            try d.finish()
            scale[label.label] = ScaleDefinition(label: label, entry: entry, earlier: earlier)
            scaleOrder.append(label.label)
        }
        for item in o.has("supersedes") ? try o.array("supersedes", max: Int.max) : [] {
            guard let pair = item.arrayValue, pair.count == 2, let from = pair[0].stringValue.flatMap(ClaimKey.init(hex:)),
                  let to = pair[1].stringValue.flatMap(ClaimKey.init(hex:)) else {
                throw LedgerError(.invalidInput, "state.supersedes holds a malformed edge")
            }
            supersedes[from, default: []].append(to)
        }
    }

    static func entryRef(_ json: JSONValue) throws(LedgerError) -> EntryRef {
        var e = try StrictObject(json, path: "state.entry", code: .invalidInput)
        guard let time = Timestamp(rfc3339: try e.string("time")) else { throw e.fail("state.entry.time is not a time") }
        let ref = EntryRef(seq: try e.integer("seq"), hash: try e.digest("hash"), signer: try e.digest("signer"), time: time)
        try e.finish()
        return ref
    }
}
