/// Byte-for-byte equality of two buffers, compared 8 bytes at a time (the generic `elementsEqual` goes
/// byte by byte, which showed in profiles of the import's read-back and of quote checks).
enum ByteComparison {
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }  // both empty
        var i = 0
        while i + 8 <= a.count {
            guard x.loadUnaligned(fromByteOffset: i, as: UInt64.self) == y.loadUnaligned(fromByteOffset: i, as: UInt64.self) else {
                return false
            }
            i += 8
        }
        while i < a.count {
            guard a[i] == b[i] else { return false }
            i += 1
        }
        return true
    }

    /// Whether `bytes[range]` are the UTF-8 bytes of `text`. `range` must lie within `bytes`.
    static func equal(_ bytes: [UInt8], _ range: Range<Int>, _ text: String) -> Bool {
        var text = text
        return bytes.withUnsafeBytes { all in
            text.withUTF8 { equal(UnsafeRawBufferPointer(rebasing: all[range]), UnsafeRawBufferPointer($0)) }
        }
    }
}
