import Foundation
import OutdialClient
import OutdialCore
import OutdialLedger

/// What `outdial outcomes` did.
public struct OutcomesReport: Sendable {
    /// The lines, each one as read, with `outcome` and `call` added to started rows asked about.
    public var lines: [String] = []
    /// Started rows asked about, and those Connect could not tell about.
    public var asked = 0
    public var unanswered = 0
    /// Why nothing could be asked (no ledger, AWS setup), if so: exit 3.
    public var refused: String?

    /// 0 when every started row got an answer, 1 when some did not, 3 when none could be asked.
    public var exitCode: Int32 { refused != nil ? 3 : (unanswered > 0 ? 1 : 0) }
}

extension Runner {
    /// `outdial outcomes RESULTS...`: asks Connect (`DescribeContact`) how the calls of started rows
    /// ended and gives the same lines with `outcome` and `call` added (a call still live is
    /// `outcome: "live"`). The instance of each contact comes from the ledger.
    public func outcomes(_ results: [String]) async -> OutcomesReport {
        var report = OutcomesReport()
        var texts: [String] = []
        for path in results {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                report.refused = "cannot read \(path)"
                return report
            }
            texts += text.split(separator: "\n").map(String.init)
        }
        let environment = configuration.aws.environment?.variables ?? ProcessInfo.processInfo.environment
        let noLedger = "no ledger: the instance of each contact is read from the ledger of the runs (--state-dir)"
        guard
            let location = try? LedgerLocation.resolve(option: configuration.state.directory, environment: environment),
            location.mayExist
        else {
            report.refused = noLedger
            return report
        }
        let ledger: Ledger
        do {
            // A database that holds no ledger is left as it is (no tables created).
            guard
                let opened = try await Ledger.openIfCreated(at: location, busyTimeout: configuration.state.busyTimeout)
            else {
                report.refused = noLedger
                return report
            }
            ledger = opened
        } catch {
            report.refused = error.message
            return report
        }
        do {
            report.lines = try await withConnectClient(
                options: configuration.aws.options,
                environment: configuration.aws.environment ?? AWSEnvironment.current(),
                concurrency: 4,
                timeout: configuration.retry.timeout,
                version: configuration.version,
                instanceARNRegion: nil,
                logger: logger
            ) { client in
                var lines: [String] = []
                for text in texts {
                    lines.append(try await enrich(text, ledger: ledger, client: client, report: &report))
                }
                return lines
            }
        } catch {
            report.refused =
                (error as? AWSConfigurationError)?.message ?? (error as? RecordingError)?.message ?? "\(error)"
        }
        await ledger.close()
        return report
    }

    /// One line, with `outcome` and `call` when it is a started row whose call Connect describes.
    private func enrich(_ text: String, ledger: Ledger, client: ConnectClient, report: inout OutcomesReport)
        async throws
        -> String
    {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            object["status"] as? String == "started", let contactId = object["contactId"] as? String,
            object["outcome"] == nil || object["outcome"] as? String == "live"
        else { return text }
        report.asked += 1
        guard let instanceId = try await ledger.instanceId(ofContact: contactId),
            case .success(let record) = await client.describeContact(instanceId: instanceId, contactId: contactId)
        else {
            report.unanswered += 1
            return text
        }
        var line = ResultLine(
            ref: RowRef(job: "", source: "", row: 0, line: 0),
            destination: "",
            clientToken: "",
            status: .started
        )
        line.outcome = record.outcome
        line.call = record
        // The added fields, as the results writer writes them, put before the line's closing brace.
        let written = String(decoding: line.ndjson(), as: UTF8.self)
        guard let start = written.range(of: #","outcome""#) else { return text }
        let added = written[start.lowerBound...].dropLast(2)  // without `}\n`
        let base = text.replacingOccurrences(of: #","outcome":"live""#, with: "")
        guard let end = base.lastIndex(of: "}") else { return text }
        return String(base[..<end]) + added + "}"
    }
}
