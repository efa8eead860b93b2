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

    /// Builds the report of `rows`: the latest line of each row, in the order rows first appear
    /// (`ReplaySelection` keeps them so, as `replay` does).
    /// - Parameters:
    ///   - lines: how many results lines were read (a row written several times counts each time).
    init(files: [String], rows: [ResultsFileLine], lines: Int, ignored: [Diagnostic] = []) {
        self.files = files
        self.lines = lines
        self.ignored = ignored
        var jobIndex: [String: Int] = [:]
        var rowsByJob: [[ResultsFileLine]] = []
        for line in rows {
            if let index = jobIndex[line.ref.job] {
                rowsByJob[index].append(line)
            } else {
                jobIndex[line.ref.job] = rowsByJob.count
                rowsByJob.append([line])
            }
        }
        jobs = rowsByJob.compactMap { rows in rows.first.map { JobReport(job: $0.ref.job, rows: rows) } }
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
    /// `timezone` of rows whose line carries one: lines with a request (not started rows).
    public var timezones = Tally()
    /// Error codes of failed, uncertain and invalid rows, most frequent first.
    public var errors: [ErrorGroup] = []
    public var timeline = ReportTimeline()

    /// The statuses an error is counted for.
    static let errorStatuses: Set<RowStatus> = [.failed, .uncertain, .invalid]

    init(job: String, rows lines: [ResultsFileLine]) {
        self.job = job
        rows = lines.count
        var starts: [Date] = []
        var errorTimes: [Date] = []
        var untimed = 0
        var groups: [String: ErrorGroup] = [:]
        for line in lines {
            if !sources.contains(line.ref.source) { sources.append(line.ref.source) }
            statuses.add(line.status.rawValue)
            if let reason = line.reason, line.status == .skipped { reasons.add(reason) }
            if let zone = line.timezone { timezones.add(zone) }
            let at = line.at.flatMap(RFC3339Timestamp.date(from:))
            if line.status == .started {
                outcomes.add(line.outcome ?? "not followed")
                if let at { starts.append(at) }
            }
            if line.status == .failed || line.status == .uncertain {
                if let at { errorTimes.append(at) } else { untimed += 1 }
            }
            guard Self.errorStatuses.contains(line.status) else { continue }
            let code = line.error?.code ?? "(no code)"
            var group = groups[code] ?? ErrorGroup(code: code, count: 0, examples: [])
            group.count += 1
            if group.examples.count < Self.examplesPerCode {
                group.examples.append(Self.example(line))
            }
            groups[code] = group
        }
        errors = groups.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.code < $1.code }
        timeline = ReportTimeline(starts: starts, errors: errorTimes)
        timeline.untimedErrors = untimed
    }

    /// The row as a report shows it: number and message masked.
    static func example(_ line: ResultsFileLine) -> ErrorExample {
        let destination = line.destination ?? ""
        let masked = destination.isEmpty ? "" : PhoneMasking.mask(destination)
        var message = line.error?.message ?? ""
        // A number as written (`+1 (212) 555-0199`) is not one run of digits: masked by its text.
        if !destination.isEmpty { message = message.replacingOccurrences(of: destination, with: masked) }
        return ErrorExample(
            place: "\(line.ref.source):\(line.ref.line)",
            row: line.ref.row,
            status: line.status.rawValue,
            destination: masked,
            message: PhoneMasking.maskNumbers(in: message),
            at: line.at
        )
    }
}
