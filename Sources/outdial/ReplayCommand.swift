import ArgumentParser
import Foundation
import OutdialCore

/// `outdial replay RESULTS...`: send again the rows of earlier results.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send again the rows of earlier results files, under their original job ids.",
        discussion: """
            Each row is rebuilt from the `request` of its latest line in the results (a row that \
            appears in several runs appended to one file counts once, as its last line says), \
            validated again (a number fixed by hand is checked before it is sent) and sent with \
            the journal's protection: a row already started is not dialled again.

            Examples:
              outdial replay results.ndjson
              outdial replay results.ndjson --status failed,uncertain,skipped -o replay.ndjson
            """
    )

    static let replayable: Set<RowStatus> = [.failed, .uncertain, .skipped, .invalid]

    @Argument(help: ArgumentHelp("Results files written by outdial run or replay.", valueName: "RESULTS"))
    var results: [String]

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "Which rows to send again, comma-separated: failed, uncertain, skipped, invalid. Example: --status failed,uncertain",
            valueName: "S"
        )
    )
    var statusList = "failed"

    @OptionGroup var run: RunOptions
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func validate() throws {
        _ = try statuses()
    }

    private func statuses() throws -> Set<RowStatus> {
        var chosen: Set<RowStatus> = []
        for word in statusList.split(separator: ",") {
            let name = word.trimmingCharacters(in: .whitespaces)
            guard let status = RowStatus(rawValue: name), Self.replayable.contains(status) else {
                throw ValidationError("--status \(name): expected some of failed, uncertain, skipped, invalid")
            }
            chosen.insert(status)
        }
        guard !chosen.isEmpty else {
            throw ValidationError("--status: name at least one of failed, uncertain, skipped, invalid")
        }
        return chosen
    }

    func run() async throws {
        let chosen = try statuses()
        var messages = MessageOutput()
        var latest: [ReplayRow.Key: ReplayRow] = [:]
        var order: [ReplayRow.Key] = []
        for path in results {
            guard let data = FileManager.default.contents(atPath: path) else {
                messages.line("\(path):1:1: error: cannot read the results file")
                messages.flush()
                throw ExitCode(2)
            }
            var lineNumber = 0
            for slice in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                lineNumber += 1
                if slice.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                do {
                    let node = try DocumentReader.parse(
                        bytes: Array(slice),
                        name: "\(path):\(lineNumber)",
                        format: .json
                    )
                    guard let row = ReplayRow(node, file: path, line: lineNumber) else {
                        messages.line(
                            "\(path):\(lineNumber):1: warning: not a results line (job, source, row, line and status are needed); ignored"
                        )
                        continue
                    }
                    if latest[row.key] == nil { order.append(row.key) }
                    latest[row.key] = row
                } catch {
                    // A run that crashed leaves at most a partial last line.
                    messages.line("\(path):\(lineNumber):1: warning: not complete JSON (\(error)); ignored")
                }
            }
        }

        var planner = JobPlanner(options: PlanningOptions(allowPrefixes: run.allowPrefixes, strict: run.strict))
        var rows: [PlannedRow] = []
        var settled: [ResultLine] = []
        for key in order {
            guard let row = latest[key], chosen.contains(row.status) else { continue }
            guard let request = row.request else {
                // `skipped: already-started` lines carry no request: the row is done.
                continue
            }
            switch planner.planRequest(request, ref: row.ref) {
            case .planned(let planned):
                rows.append(planned)
            case .rejected(let line, let diagnostics):
                for diagnostic in diagnostics { messages.line(diagnostic.description) }
                settled.append(line)
            }
        }
        messages.flush()
        if run.strict, settled.contains(where: { $0.status == .invalid }) {
            SendSession.printError("outdial: nothing was sent: --strict and some rows are invalid")
            throw ExitCode(2)
        }
        if rows.isEmpty && settled.isEmpty {
            SendSession.printError("outdial: no rows with status \(statusList) to replay")
            return
        }
        let session = SendSession(run: run, aws: aws, pacing: [])
        let code = try await session.send(rows, settled: settled, output: run.output, summaryPath: run.summary)
        if code != 0 { throw ExitCode(code) }
    }
}

/// One line of a results file, as replay needs it.
private struct ReplayRow {
    struct Key: Hashable {
        var job: String
        var source: String
        var row: Int
    }

    var ref: RowRef
    var status: RowStatus
    var request: Node?

    var key: Key { Key(job: ref.job, source: ref.source, row: ref.row) }

    init?(_ node: Node, file: String, line: Int) {
        guard case .mapping(let entries) = node.value else { return nil }
        func scalar(_ name: String) -> String? { entries.last(where: { $0.key == name })?.value.scalarText }
        guard let job = scalar("job"), let source = scalar("source"), let row = scalar("row").flatMap(Int.init),
            let statusText = scalar("status"), let status = RowStatus(rawValue: statusText)
        else { return nil }
        ref = RowRef(job: job, source: source, row: row, line: scalar("line").flatMap(Int.init) ?? line)
        self.status = status
        request = entries.last(where: { $0.key == "request" })?.value
    }
}
