import Foundation
import OutdialCore

/// What `outdial report` shows: per job, the rows of results files as their latest lines say
/// (a results file may hold several runs of a job appended; the latest line of a row wins, as in
/// `replay`), counted by status, outcome, skip reason, time zone and error code, with a timeline.
///
/// Phone numbers are masked here, as the logs mask them: nothing built from a report holds a
/// full number.
public struct RunReport: Sendable {
    /// The results files read, as named.
    public var files: [String] = []
    /// Results lines read (a row appended several times counts each time).
    public var lines = 0
    /// Lines that were not complete JSON or not results lines, as `file:line:col: warning: …`.
    public var ignored: [Diagnostic] = []
    /// The jobs, in the order their first row appears.
    public var jobs: [JobReport] = []

    /// The rows of every job.
    public var rows: Int { jobs.reduce(0) { $0 + $1.rows } }
    /// Counts over every job.
    public var statuses: Tally { jobs.reduce(into: Tally()) { $0.add($1.statuses) } }
    public var outcomes: Tally { jobs.reduce(into: Tally()) { $0.add($1.outcomes) } }

    public init() {}

    /// Builds the report of `rows`, grouped per job in the order jobs first appear.
    init(files: [String], rows table: ReportRows, ignored: [Diagnostic] = []) {
        self.files = files
        self.lines = table.lines
        self.ignored = ignored
        var jobIndex: [Int32: Int] = [:]
        var rowsByJob: [[ReportRows.Row]] = []
        for row in table.rows {
            if let index = jobIndex[row.key.job] {
                rowsByJob[index].append(row)
            } else {
                jobIndex[row.key.job] = rowsByJob.count
                rowsByJob.append([row])
            }
        }
        jobs = rowsByJob.map { JobReport(rows: $0, in: table) }
    }
}

/// One job's part of a report.
public struct JobReport: Sendable {
    /// An error code with how many rows it ended and a few of them.
    public struct ErrorGroup: Sendable {
        public var code: String
        public var count: Int
        /// The first rows it ended, in file order (at most `JobReport.examplesPerCode`).
        public var examples: [ErrorExample]
    }

    /// A row that ended in an error, as shown: its number and message masked.
    public struct ErrorExample: Sendable, Equatable {
        /// `source:line` of the row in its job file.
        public var place: String
        public var row: Int
        public var status: String
        /// The destination, masked (`+1555***0001`).
        public var destination: String
        /// The message, with any phone number in it masked.
        public var message: String
        /// When the last attempt was sent (RFC 3339), if the line says.
        public var at: String?
    }

    /// Example rows kept per error code.
    public static let examplesPerCode = 3

    public var job: String
    /// The job files the rows came from, in first-seen order.
    public var sources: [String] = []
    public var rows = 0
    public var statuses = Tally()
    /// Outcomes of started rows whose calls were followed; `not followed` for the others.
    public var outcomes = Tally()
    /// `reason` of skipped rows.
    public var reasons = Tally()
    /// `timezone` of rows whose line names one: lines that carry the request (rows not started,
    /// and started rows whose call may be tried again).
    public var timezones = Tally()
    /// Error codes of failed, uncertain and invalid rows, most frequent first.
    public var errors: [ErrorGroup] = []
    public var timeline = ReportTimeline()

    init(rows: [ReportRows.Row], in table: ReportRows) {
        job = rows.first.flatMap { table.name($0.key.job) } ?? ""
        self.rows = rows.count
        var starts: [Date] = []
        var errorTimes: [Date] = []
        var untimed = 0
        var seenSources: Set<Int32> = []
        var groups: [String: ErrorGroup] = [:]
        for row in rows {
            if seenSources.insert(row.key.source).inserted, let source = table.name(row.key.source) {
                sources.append(source)
            }
            statuses.add(row.status.rawValue)
            if let reason = table.name(row.reason) { reasons.add(reason) }
            if let zone = table.name(row.timezone) { timezones.add(zone) }
            if let outcome = table.name(row.outcome) { outcomes.add(outcome) }
            let at = row.at.map(Date.init(timeIntervalSince1970:))
            if row.status == .started, let at { starts.append(at) }
            if row.status == .failed || row.status == .uncertain {
                if let at { errorTimes.append(at) } else { untimed += 1 }
            }
            guard let code = table.name(row.code) else { continue }
            var group = groups[code] ?? ErrorGroup(code: code, count: 0, examples: [])
            group.count += 1
            if group.examples.count < Self.examplesPerCode, row.detail >= 0 {
                let detail = table.details[Int(row.detail)]
                group.examples.append(
                    ErrorExample(
                        place: "\(table.name(row.key.source) ?? ""):\(row.line)",
                        row: row.key.row,
                        status: row.status.rawValue,
                        destination: detail.destination,
                        message: detail.message,
                        at: detail.at
                    )
                )
            }
            groups[code] = group
        }
        errors = groups.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.code < $1.code }
        timeline = ReportTimeline(starts: starts, errors: errorTimes)
        timeline.untimedErrors = untimed
    }
}
