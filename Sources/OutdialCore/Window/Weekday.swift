/// A day of the week, as a job file names it (`mon` … `sun`).
public enum Weekday: Int, CaseIterable, Sendable, Hashable {
    case sunday = 0
    case monday
    case tuesday
    case wednesday
    case thursday
    case friday
    case saturday

    /// `sun`, `mon`, … `sat`.
    public var abbreviation: String {
        switch self {
        case .sunday: "sun"
        case .monday: "mon"
        case .tuesday: "tue"
        case .wednesday: "wed"
        case .thursday: "thu"
        case .friday: "fri"
        case .saturday: "sat"
        }
    }

    /// The day named `sun`, `mon`, … `sat`; nil for any other text.
    public init?(abbreviation: String) {
        guard let day = Weekday.allCases.first(where: { $0.abbreviation == abbreviation }) else { return nil }
        self = day
    }

    /// The weekday of the day `dayNumber` days after 1970-01-01, a Thursday.
    init(dayNumber: Int64) {
        let index = (dayNumber + 4) % 7
        self = Weekday(rawValue: Int(index < 0 ? index + 7 : index)) ?? .sunday
    }
}
