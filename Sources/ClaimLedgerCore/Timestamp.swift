/// An instant with one-second precision, written as RFC 3339 in UTC with no fraction:
/// `YYYY-MM-DDTHH:MM:SSZ` (exactly 20 characters), so that text order is time order.
/// The core never reads a clock: callers pass the time in.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Parses the strict form only (RFC 3339 section 5.6 with `Z`, no fraction, no lower-case `t`/`z`),
    /// for years 0001-9999 with valid calendar fields.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A,
              let date = CalendarDate(utf8: b[0..<10]),
              let hour = decimal(b[11..<13]), let minute = decimal(b[14..<16]), let second = decimal(b[17..<19]),
              hour < 24, minute < 60, second < 60
        else { return nil }
        secondsSinceEpoch = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public var date: CalendarDate {
        CalendarDate(daysSinceEpoch: floorDiv(secondsSinceEpoch, 86_400))
    }

    public var description: String {
        let secondOfDay = Int(secondsSinceEpoch - floorDiv(secondsSinceEpoch, 86_400) * 86_400)
        return "\(date)T\(pad2(secondOfDay / 3600)):\(pad2(secondOfDay / 60 % 60)):\(pad2(secondOfDay % 60))Z"
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }
}

/// A calendar day `YYYY-MM-DD` (RFC 3339 full-date), proleptic Gregorian, years 0001-9999.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        self.init(utf8: Array(text.utf8)[...])
    }

    init?(utf8 b: ArraySlice<UInt8>) {
        let s = b.startIndex
        guard b.count == 10, b[s + 4] == 0x2D, b[s + 7] == 0x2D,
              let y = decimal(b[s..<s + 4]), let m = decimal(b[s + 5..<s + 7]), let d = decimal(b[s + 8..<s + 10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yoe + era * 400) + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + pad2(month) + "-" + pad2(day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
    var value = 0
    for d in digits {
        guard d >= 0x30, d <= 0x39 else { return nil }
        value = value * 10 + Int(d - 0x30)
    }
    return value
}

private func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
