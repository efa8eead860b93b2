import Foundation
import Logging
import OutdialBase
import OutdialClient
import OutdialCore
import OutdialLedger

/// What `outdial stop` did to one contact: `stopped` (it was live and `StopContact` ended it),
/// `ended` (it had already ended) or `failed` (with the error).
public struct ContactStopLine: Sendable {
    public var contact: StartedContact
    public var status: String
    public var error: RowError?

    /// The line as JSON, ending in `\n`.
    public func ndjson() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field(plain: "job", contact.job)
        w.field(plain: "row", contact.row)
        w.field(plain: "destination", contact.destination)
        w.field(plain: "contactId", contact.contactId)
        w.field(plain: "status", status)
        if let error {
            w.key(plain: "error")
            w.beginObject()
            w.field(plain: "code", error.code)
            w.field(plain: "message", error.message)
            w.endObject()
        }
        w.endObject()
        w.newline()
        return w.bytes
    }
}

/// What `outdial stop` did.
public struct StopOutcome: Sendable {
    /// The jobs asked to stop.
    public var jobs: [String] = []
    /// One line per contact touched.
    public var lines: [ContactStopLine] = []
    /// Why nothing could be done (no ledger, AWS setup), if so: exit 3.
    public var refused: String?

    /// 0 when every live call was stopped, 1 when some could not be, 3 when nothing could be done.
    public var exitCode: Int32 {
        if refused != nil { return 3 }
        return lines.contains { $0.status == "failed" } ? 1 : 0
    }

    /// For standard error: `outdial stop: job night: runs asked to stop; 3 live calls stopped, 5 had ended`.
    public var text: String {
        if let refused { return "outdial stop: \(refused)\n" }
        let count = { (status: String) in lines.filter { $0.status == status }.count }
        var text = "outdial stop: \(jobs.map { "job \($0)" }.joined(separator: ", ")): runs asked to stop; "
        text += "\(count("stopped")) live call\(count("stopped") == 1 ? "" : "s") stopped, \(count("ended")) had ended"
        if count("failed") > 0 { text += ", \(count("failed")) could not be stopped" }
        return text + "\n"
    }
}

extension Runner {
    /// `outdial stop JOB_ID|RESULTS`: records the stop in the ledger (every run of the job that
    /// began before it stops starting rows within a second, on any machine sharing the store),
    /// then ends every call of the job that is still live with `StopContact`.
    /// - Parameters:
    ///   - target: a job id, or a results file whose lines name the jobs.
    ///   - reason: said to the runs and kept in the ledger.
    public func stop(_ target: String, reason: String?) async -> StopOutcome {
        var outcome = StopOutcome()
        outcome.jobs = jobs(of: target)
        let environment = configuration.aws.environment?.variables ?? ProcessInfo.processInfo.environment
        let location: LedgerLocation
        do {
            guard
                let resolved = try LedgerLocation.resolve(
                    option: configuration.state.directory,
                    environment: environment
                )
            else {
                outcome.refused = "no state directory: set --state-dir, OUTDIAL_STATE_DIR or HOME"
                return outcome
            }
            location = resolved
        } catch {
            outcome.refused = error.message
            return outcome
        }
        let noLedger = "no ledger \(location): no run of \(outcome.jobs.joined(separator: ", ")) is known"
        guard location.mayExist else {
            outcome.refused = noLedger
            return outcome
        }
        var contacts: [StartedContact] = []
        do {
            // A database that holds no ledger is left as it is (no tables created): nothing ran there.
            guard
                let ledger = try await Ledger.openIfCreated(at: location, busyTimeout: configuration.state.busyTimeout)
            else {
                outcome.refused = noLedger
                return outcome
            }
            for job in outcome.jobs {
                _ = try await ledger.requestStop(job: job, reason: reason ?? "outdial stop")
            }
            // No intent of the jobs is committed after the stop: the calls are the ones started
            // now, and the requests in flight, which settle within their timeout. Their process
            // may have died: the wait is bounded.
            let since =
                Int(Date().timeIntervalSince1970 * 1000) - Self.requestsSettleWithin.inMilliseconds
            let clock = ContinuousClock()
            let giveUp = clock.now.advanced(by: Self.requestsSettleWithin)
            for job in outcome.jobs {
                while try await ledger.requestsInFlight(job: job, since: since) > 0, clock.now < giveUp {
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            for job in outcome.jobs {
                contacts += try await ledger.startedContacts(job: job)
            }
            await ledger.close()
        } catch {
            outcome.refused = error.message
            return outcome
        }
        guard !contacts.isEmpty else { return outcome }
        do {
            outcome.lines = try await withConnectClient(
                options: configuration.aws.options,
                environment: configuration.aws.environment ?? AWSEnvironment.current(),
                concurrency: 4,
                timeout: configuration.retry.timeout,
                version: configuration.version,
                instanceARNRegion: nil,
                logger: logger
            ) { client in
                var lines: [ContactStopLine] = []
                for contact in contacts {
                    lines.append(await Self.stop(contact, client: client))
                }
                return lines
            }
        } catch {
            outcome.refused = (error as? AWSConfigurationError)?.message ?? "\(error)"
        }
        return outcome
    }

    /// The jobs `target` names: the job ids of a results file's lines, else `target` itself.
    func jobs(of target: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return [target]
        }
        var jobs: [String] = []
        _ = try? ResultsReader(path: target).read { line in
            if !jobs.contains(line.ref.job) { jobs.append(line.ref.job) }
        }
        return jobs.isEmpty ? [target] : jobs
    }

    /// Ends one contact, retrying throttled answers a few times.
    static func stop(_ contact: StartedContact, client: ConnectClient) async -> ContactStopLine {
        var last: OperationFailure?
        for attempt in 1 ... 4 {
            switch await client.stopContact(instanceId: contact.instanceId, contactId: contact.contactId) {
            case .success:
                return ContactStopLine(contact: contact, status: "stopped")
            case .failure(let failure) where Self.endedCodes.contains(failure.error.code):
                return ContactStopLine(contact: contact, status: "ended")
            case .failure(let failure):
                last = failure
                guard failure.failure.isRetryable, attempt < 4 else { break }
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        return ContactStopLine(contact: contact, status: "failed", error: last?.error)
    }

    /// How long the command waits for the requests in flight when it asked to stop.
    static let requestsSettleWithin: Duration = .seconds(15)

    /// What `StopContact` answers for a contact that has already ended.
    static let endedCodes: Set<String> = ["ContactNotFoundException", "ResourceNotFoundException"]
}
