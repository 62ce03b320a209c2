// libFuzzer target: the strict JSON parser and the RFC 8785 canonicalizer.
// Properties: malformed input never crashes; for accepted input the canonical bytes re-parse to an equal
// value, and canonicalizing that value again gives the same bytes (a fixed point).
import CanonicalJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    for limits in [JSONLimits.default, JSONLimits(maxBytes: 4096, maxDepth: 4, maxStringBytes: 64, maxContainerCount: 8)] {
        guard let value = try? JSONParser.parse(bytes, limits: limits) else { continue }
        guard let canonical = try? JCS.canonicalize(value) else {
            fatalError("an accepted document cannot be canonicalized")
        }
        guard let again = try? JSONParser.parse(canonical, limits: .default) else {
            fatalError("canonical output does not parse: \(String(decoding: canonical, as: UTF8.self))")
        }
        guard again == value else { fatalError("canonical output parses to another value") }
        guard let twice = try? JCS.canonicalize(again), twice == canonical else {
            fatalError("canonicalization is not a fixed point")
        }
    }
    return 0
}
