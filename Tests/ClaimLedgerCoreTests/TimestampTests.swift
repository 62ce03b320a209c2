import ClaimLedgerCore
import Testing

/// RFC 3339 section 5.6 in the one form the ledger writes: `YYYY-MM-DDTHH:MM:SSZ`, years 0001-9999.
@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1969-12-31T23:59:59Z", -1),
        ("2000-02-29T12:00:00Z", 951_825_600),
        ("2026-01-06T09:30:15Z", 1_767_691_815),
        ("0001-01-01T00:00:00Z", -62_135_596_800),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
    ])
    func parsesStrictFormToSecondsSinceEpoch(text: String, seconds: Int64) throws {
        let t = try #require(Timestamp(rfc3339: text))
        #expect(t.secondsSinceEpoch == seconds)
        #expect(t.description == text)
    }

    @Test(arguments: [
        "2026-01-06t09:30:15Z",        // lower-case t
        "2026-01-06T09:30:15z",        // lower-case z
        "2026-01-06T09:30:15.5Z",      // fraction
        "2026-01-06T09:30:15.000Z",    // zero fraction
        "2026-01-06T09:30:15+00:00",   // numeric offset
        "2026-01-06T10:30:15+01:00",
        "2026-01-06T09:30:15",         // no zone
        "2026-01-06 09:30:15Z",        // space separator
        "2026-01-06T24:00:00Z",        // 24:00
        "2026-01-06T23:60:00Z",
        "2026-12-31T23:59:60Z",        // leap second
        "2025-02-29T00:00:00Z",        // not a leap year
        "1900-02-29T00:00:00Z",        // century, not a leap year
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "0000-01-01T00:00:00Z",        // year 0000
        "+2026-01-06T09:30:15Z",
        "2026-1-06T09:30:15Z",
        "2026-01-06T9:30:15Z",
        "2026-01-06T09:30:1Z",
        "２026-01-06T09:30:15Z",       // full-width digit
        "",
    ])
    func rejectsEveryOtherForm(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    /// Epoch values across the whole supported range, negative ones included, at an odd stride so
    /// that every month, day and second-of-day position is visited.
    static let sampledEpochValues: [Int64] = {
        let first: Int64 = -62_135_596_800, last: Int64 = 253_402_300_799
        return Array(stride(from: first, through: last, by: 97_654_321)) + [first, -86_401, -86_400, -1, 0, 1, 86_399, last]
    }()

    @Test func roundTripsOverTheWholeRange() throws {
        #expect(Self.sampledEpochValues.count > 1000)
        for seconds in Self.sampledEpochValues {
            let t = Timestamp(secondsSinceEpoch: seconds)
            #expect(t.description.utf8.count == 20, "\(seconds)")
            let parsed = try #require(Timestamp(rfc3339: t.description), "\(t.description)")
            #expect(parsed.secondsSinceEpoch == seconds)
        }
    }

    @Test func textOrderIsTimeOrder() {
        let stamps = Self.sampledEpochValues.map(Timestamp.init(secondsSinceEpoch:)).shuffled()
        let byTime = stamps.sorted().map(\.description)
        let byText = stamps.map(\.description).sorted()
        #expect(byTime == byText)
    }

    @Test func dateOfANegativeInstantIsThePreviousDay() throws {
        let t = Timestamp(secondsSinceEpoch: -1)
        #expect(t.date == CalendarDate(year: 1969, month: 12, day: 31))
    }
}

@Suite struct CalendarDateTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-01-06"])
    func acceptsValidDates(text: String) throws {
        let date = try #require(CalendarDate(text))
        #expect(date.description == text)
    }

    @Test(arguments: [
        "2025-02-29", "1900-02-29", "2100-02-29", "0000-06-15", "2026-06-31", "2026-13-01", "2026-00-01",
        "2026-01-32", "2026-1-6", "26-01-06", "2026/01/06", "2026-01-06T00:00:00Z", "2026-01-0a", "",
    ])
    func rejectsInvalidDates(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func memberwiseInitValidatesTheCalendar() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 0, month: 1, day: 1) == nil)
        #expect(CalendarDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test func padsSmallYearsToFourDigits() {
        #expect(CalendarDate(year: 42, month: 3, day: 1)?.description == "0042-03-01")
    }

    @Test(arguments: [("1970-01-01", Int64(0)), ("2000-03-01", 11_017), ("1969-12-31", -1), ("0001-01-01", -719_162)])
    func countsDaysFromTheEpoch(text: String, days: Int64) throws {
        #expect(try #require(CalendarDate(text)).daysSinceEpoch == days)
    }

    @Test func ordersLikeItsText() throws {
        let texts = ["2026-01-06", "2025-12-31", "0999-05-05", "2026-01-05", "2026-02-01"]
        let dates = try texts.map { try #require(CalendarDate($0)) }
        #expect(dates.sorted().map(\.description) == texts.sorted())
    }
}
