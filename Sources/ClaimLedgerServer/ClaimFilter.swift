import ClaimLedgerCore
import ClaimLedgerSite
import Hummingbird

/// The claims list's query as the URL holds it (app-contract.md section 4):
/// `?q=&status=&verdict=&claimant=&party=&source=&reviewed=yes|no&from=&to=&page=&perPage=&retracted=yes`.
/// Parsed strictly: an unknown status, a malformed date, a page out of range are a 400 naming the
/// parameter, never a silent empty list.
public struct ClaimFilter: Sendable, Equatable {
    public var text: String?
    public var status: ClaimStatus?
    public var verdict: String?
    public var claimant: String?
    public var party: String?
    /// A source id (64 hex) or a prefix of at least 8 hex digits.
    public var source: String?
    public var reviewed: Bool?
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var includeRetracted = false
    public var page = 1
    public var perPage = 50

    public static let maxPerPage = 200
    public static let maxTextBytes = 256

    public init() {}

    public static func parse(_ query: [(String, String)]) throws(Problem) -> ClaimFilter {
        var f = ClaimFilter()
        var seen = Set<String>()
        for (name, raw) in query {
            guard seen.insert(name).inserted else { throw Problem.badRequest("the query parameter \"\(clip(name))\" is given twice") }
            let value = raw.trimmingSpaces
            if value.isEmpty { continue }
            guard value.utf8.count <= maxTextBytes else { throw Problem.badRequest("\(clip(name)) is longer than \(maxTextBytes) bytes") }
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw Problem.badRequest("\(clip(name)) contains control characters")
            }
            switch name {
            case "q": f.text = value
            case "status":
                guard let s = ClaimStatus(rawValue: value) else {
                    throw Problem.badRequest("status must be one of \(ClaimStatus.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(clip(value))\"")
                }
                f.status = s
            case "verdict": f.verdict = value
            case "claimant": f.claimant = value
            case "party": f.party = value
            case "source":
                guard (8...64).contains(value.utf8.count), value.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                    throw Problem.badRequest("source must be a source id: 8 to 64 lower-case hex digits, found \"\(clip(value))\"")
                }
                f.source = value
            case "reviewed":
                switch value {
                case "yes": f.reviewed = true
                case "no": f.reviewed = false
                default: throw Problem.badRequest("reviewed must be yes or no, found \"\(clip(value))\"")
                }
            case "retracted":
                guard value == "yes" || value == "no" else { throw Problem.badRequest("retracted must be yes or no, found \"\(clip(value))\"") }
                f.includeRetracted = value == "yes"
            case "from", "to":
                guard let d = CalendarDate(value) else { throw Problem.badRequest("\(name) must be a date YYYY-MM-DD, found \"\(clip(value))\"") }
                if name == "from" { f.from = d } else { f.to = d }
            case "page":
                guard let n = Int(value), (1...1_000_000).contains(n) else { throw Problem.badRequest("page must be a number from 1, found \"\(clip(value))\"") }
                f.page = n
            case "perPage":
                guard let n = Int(value), (1...maxPerPage).contains(n) else {
                    throw Problem.badRequest("perPage must be a number from 1 to \(maxPerPage), found \"\(clip(value))\"")
                }
                f.perPage = n
            default:
                throw Problem.badRequest("unknown query parameter \"\(clip(name))\": use q, status, verdict, claimant, party, source, reviewed, from, to, retracted, page, perPage")
            }
        }
        return f
    }

    /// The query as URL parameters (to build page links); `page` only when not 1.
    public func queryItems(page: Int? = nil) -> [(String, String)] {
        var items: [(String, String)] = []
        if let text { items.append(("q", text)) }
        if let status { items.append(("status", status.rawValue)) }
        if let verdict { items.append(("verdict", verdict)) }
        if let claimant { items.append(("claimant", claimant)) }
        if let party { items.append(("party", party)) }
        if let source { items.append(("source", source)) }
        if let reviewed { items.append(("reviewed", reviewed ? "yes" : "no")) }
        if let from { items.append(("from", from.description)) }
        if let to { items.append(("to", to.description)) }
        if includeRetracted { items.append(("retracted", "yes")) }
        if perPage != 50 { items.append(("perPage", String(perPage))) }
        let p = page ?? self.page
        if p != 1 { items.append(("page", String(p))) }
        return items
    }

    public var isFiltered: Bool { !queryItems(page: 1).filter { $0.0 != "perPage" }.isEmpty }

    static func clip(_ s: String) -> String { s.count <= 40 ? s : String(s.prefix(39)) + "…" }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}

/// Query parameters of a request, percent-decoded, in order (Hummingbird's `queryParameters` decoded).
enum QueryItems {
    static func of(_ request: Request) throws(Problem) -> [(String, String)] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        var items: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pieces[0]), let value = decode(pieces.count > 1 ? pieces[1] : "") else {
                throw Problem.badRequest("the query string is not valid percent-encoded UTF-8")
            }
            items.append((name, value))
        }
        return items
    }

    /// Percent-decoding with `+` as space (HTML forms); nil for invalid escapes or invalid UTF-8.
    static func decode(_ s: Substring) -> String? {
        var bytes = [UInt8]()
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case 0x2B: bytes.append(0x20)
            case 0x25:
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                bytes.append(hv << 4 | lv)
            default: bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
