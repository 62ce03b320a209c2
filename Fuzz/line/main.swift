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
    check(bytes)
    // A changed entry is refused for its stated hash before any reader's rules matter: the line again with
    // the hash its entry's bytes have, so that the readers are compared on changed entries too.
    if let line = rehashed(bytes), line != bytes { check(line) }
    return 0
}

func check(_ bytes: [UInt8]) {
    if let value = try? JSONParser.parse(bytes, limits: LedgerLimits.lineJSON), let entryJSON = value["entry"] {
        _ = try? Entry(json: entryJSON)  // the decoder alone, also for lines that fail elsewhere
    }
    guard let signed = try? SignedEntry.parse(line: bytes) else { return }
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
}

/// `line` with the 64 characters after its last `,"hash":"` replaced by the leaf hash of the bytes between
/// `{"entry":` and there; nil when the line has no such parts.
func rehashed(_ line: [UInt8]) -> [UInt8]? {
    let head = Array(#"{"entry":"#.utf8), member = Array(#","hash":""#.utf8)
    guard line.starts(with: head), line.count >= head.count + member.count + 64 else { return nil }
    var at = line.count - member.count - 64
    while at >= head.count, !line[at..<(at + member.count)].elementsEqual(member) { at -= 1 }
    guard at >= head.count else { return nil }
    let hash = line[head.count..<at].withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) }
    var out = Array(line[..<(at + member.count)])
    out += Array(hash.hex.utf8)
    out += line[(at + member.count + 64)...]
    return out
}
