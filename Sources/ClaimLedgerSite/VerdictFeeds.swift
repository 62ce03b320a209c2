import CanonicalJSON
import ClaimLedgerCore

/// The feeds of a published site: an Atom feed (RFC 4287, `feed.atom`) and a JSON Feed (version 1.1,
/// `feed.json`) of the published verdicts, newest approval first. An item is one reviewed verdict: its
/// id names the status entry, so a changed verdict (a new status entry, approved in turn) is a new item
/// that feed readers show, while the old one stays as it was published. Every link is absolute, under
/// the newsroom's base URL (`--base-url`): claim pages are `<base>/claims/<id>` on the newsroom server
/// and `<base>/claims/<id>.html` on a static site (`ClaimReviewOptions.claimPageSuffix`). A feed holds
/// the newest `limit` verdicts (500), as feeds do: readers poll it for what is new.
public enum VerdictFeeds {
    public struct Item {
        public let record: ClaimRecord
        public let status: StatusRecord
        public let label: ScaleLabel
        public let review: Recorded<ReviewPayload>
    }

    public static let limit = 500

    /// The published verdicts of `records`, newest approval first (then by claim id, for equal times),
    /// at most `limit`.
    public static func items(_ records: some Sequence<ClaimRecord>, in state: LedgerState, limit: Int = limit) -> [Item] {
        let all = records.compactMap { r in
            ClaimReviewDocuments.approval(of: r, in: state).map { Item(record: r, status: $0.status, label: $0.label, review: $0.review) }
        }.sorted { ($0.review.entry.time, $1.record.id) > ($1.review.entry.time, $0.record.id) }
        return Array(all.prefix(limit))
    }

    static func pageURL(_ item: Item, options: ClaimReviewOptions, base: String) -> String {
        base + "/claims/" + item.record.id + options.claimPageSuffix
    }
    static func homeURL(options: ClaimReviewOptions, base: String) -> String {
        options.claimPageSuffix.isEmpty ? base + "/claims" : base + "/index.html"
    }
    static func itemID(_ item: Item, options: ClaimReviewOptions, base: String) -> String {
        pageURL(item, options: options, base: base) + "#verdict-" + item.status.entry.hash.hex
    }
    static func title(_ item: Item) -> String { item.label.label + ": " + item.record.current.statement }
    static func summary(_ item: Item) -> String {
        let c = item.record.current
        return "\(c.claimant), \(c.date): “\(c.statement)” Verdict: \(item.label.label) (\(item.label.description)). "
            + item.status.payload.rationale
    }

    /// The Atom feed. `updated` is the newest approval, or the ledger's last entry when nothing is published.
    public static func atom(_ items: [Item], state: LedgerState, options: ClaimReviewOptions, base: String) -> String {
        let updated = items.first?.review.entry.time ?? state.lastTime ?? Timestamp(secondsSinceEpoch: 0)
        var x = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        x += #"<feed xmlns="http://www.w3.org/2005/Atom">"# + "\n"
        x += "  <id>\(xml(base + "/"))</id>\n"
        x += "  <title>\(xml(options.publisher + ": fact checks"))</title>\n"
        x += "  <updated>\(updated)</updated>\n"
        x += #"  <link rel="self" type="application/atom+xml" href=""# + xml(base + "/feed.atom") + "\"/>\n"
        x += #"  <link rel="alternate" type="text/html" href=""# + xml(homeURL(options: options, base: base)) + "\"/>\n"
        x += "  <author><name>\(xml(options.publisher))</name>" + (options.publisherURL.map { "<uri>\(xml($0))</uri>" } ?? "") + "</author>\n"
        x += "  <generator>ClaimLedger</generator>\n"
        for item in items {
            let c = item.record.current
            x += "  <entry>\n"
            x += "    <id>\(xml(itemID(item, options: options, base: base)))</id>\n"
            x += "    <title xml:lang=\"\(xml(c.statementLanguage))\">\(xml(title(item)))</title>\n"
            x += "    <updated>\(item.review.entry.time)</updated>\n"
            x += "    <published>\(item.review.entry.time)</published>\n"
            x += #"    <link rel="alternate" type="text/html" href=""# + xml(pageURL(item, options: options, base: base)) + "\"/>\n"
            x += "    <category term=\"\(xml(item.label.label))\"/>\n"
            x += "    <summary>\(xml(summary(item)))</summary>\n"
            x += "  </entry>\n"
        }
        return x + "</feed>\n"
    }

    /// The JSON Feed (jsonfeed.org/version/1.1).
    public static func jsonFeed(_ items: [Item], options: ClaimReviewOptions, base: String) -> JSONValue {
        var author: [String: JSONValue] = ["name": .string(options.publisher)]
        if let u = options.publisherURL { author["url"] = .string(u) }
        return [
            "version": "https://jsonfeed.org/version/1.1",
            "title": .string(options.publisher + ": fact checks"),
            "home_page_url": .string(homeURL(options: options, base: base)),
            "feed_url": .string(base + "/feed.json"),
            "authors": .array([.object(author)]),
            "items": .array(items.map { item in
                [
                    "id": .string(itemID(item, options: options, base: base)),
                    "url": .string(pageURL(item, options: options, base: base)),
                    "title": .string(title(item)),
                    "content_text": .string(summary(item)),
                    "date_published": .string(item.review.entry.time.description),
                    "language": .string(item.record.current.statementLanguage),
                    "tags": .array([.string(item.label.label)]),
                ]
            }),
        ]
    }

    /// Text and attribute values for XML 1.0: the five special characters as entities, and every
    /// character XML 1.0 cannot carry (controls other than TAB and LF, U+FFFE, U+FFFF) left out.
    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
