import LedgerCrypto

/// Test oracle: RFC 6962 section 2.1 (RFC 9162 section 2.1) written as the recursive definitions,
/// hashing with plain SHA-256 over concatenated bytes, with no stored hashes and no shortcuts.
struct ReferenceTree {
    /// Leaf hashes d[0], d[1], ... as SHA-256(0x00 || entry).
    let leaves: [SHA256Digest]

    /// The entries used throughout these tests (and in Vectors/openssl-roots.tsv): entry i is the byte i.
    static func entry(_ i: Int) -> [UInt8] { [UInt8(i)] }

    init(size: Int) {
        leaves = (0..<size).map { SHA256.hash([0x00] + ReferenceTree.entry($0)) }
    }

    static func node(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        SHA256.hash([0x01] + left.bytes + right.bytes)
    }

    /// k: the largest power of two smaller than n (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    /// MTH(D[lo:hi]).
    func mth(_ lo: Int, _ hi: Int) -> SHA256Digest {
        let n = hi - lo
        if n == 0 { return SHA256.hash([]) }
        if n == 1 { return leaves[lo] }
        let k = Self.split(n)
        return Self.node(mth(lo, lo + k), mth(lo + k, hi))
    }

    /// PATH(m, D[lo:hi]) with m relative to lo.
    func path(_ m: Int, _ lo: Int, _ hi: Int) -> [SHA256Digest] {
        let n = hi - lo
        if n == 1 { return [] }
        let k = Self.split(n)
        if m < k { return path(m, lo, lo + k) + [mth(lo + k, hi)] }
        return path(m - k, lo + k, hi) + [mth(lo, lo + k)]
    }

    /// PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), for 0 < m <= n.
    func proof(_ m: Int, _ n: Int) -> [SHA256Digest] { subproof(m, 0, n, true) }

    func subproof(_ m: Int, _ lo: Int, _ hi: Int, _ complete: Bool) -> [SHA256Digest] {
        let n = hi - lo
        if m == n { return complete ? [] : [mth(lo, hi)] }
        let k = Self.split(n)
        if m <= k { return subproof(m, lo, lo + k, complete) + [mth(lo + k, hi)] }
        return subproof(m - k, lo + k, hi, false) + [mth(lo, lo + k)]
    }
}
