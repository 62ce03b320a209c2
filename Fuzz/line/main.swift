// libFuzzer target: one line of entries.jsonl (SignedEntry.parse: JSON, RFC 8785 form, shape, the entry's
// fields and payload, the leaf hash) and its Entry decoding. Properties: no crash on any input; an accepted
// line is canonical, re-encodes to the same entry bytes, and parses again to the same entry; and the general
// way (the JSON parser, RFC 8785 form, Entry(json:)) reads it alike, whichever reader `parse` used (claims
// and statuses go through the one-pass CanonicalEntryReader first).
import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONParser.parse(bytes, limits: LedgerLimits.lineJSON), let entryJSON = value["entry"] {
        _ = try? Entry(json: entryJSON)  // the decoder alone, also for lines that fail elsewhere
    }
    guard let signed = try? SignedEntry.parse(line: bytes) else { return 0 }
    guard signed.line == bytes else { fatalError("an accepted line is not kept byte for byte") }
    guard signed.entry.canonicalBytes() == signed.canonicalBytes else {
        fatalError("the entry does not re-encode to the bytes it was parsed from")
    }
    guard let again = try? SignedEntry.parse(line: signed.line), again.entry == signed.entry, again.hash == signed.hash else {
        fatalError("an accepted line does not parse again to the same entry")
    }
    guard let value = try? JSONParser.parse(bytes, limits: LedgerLimits.lineJSON), (try? JCS.canonicalize(value)) == bytes,
          let top = value.objectValue, top.count == 3, let entryJSON = top["entry"], (try? Entry(json: entryJSON)) == signed.entry,
          top["hash"]?.stringValue == signed.hash.hex,
          let signature = top["signature"]?.stringValue, Base64.decode(signature) == signed.signature
    else { fatalError("an accepted line is refused, or read as another entry, by the general way") }
    return 0
}
