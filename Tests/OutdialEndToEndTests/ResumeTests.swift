import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` at any moment, then the same command again: every row dialled at most once, and
/// every row accounted for (results.md, "Journal and resume"; the records are in the ledger).
@Suite struct ResumeTests {
    static let rows = 30

    @Test(arguments: [1, 12, 26])
    func killedRunResumesWithoutDiallingTwice(afterLines killPoint: Int) async throws {
        let dir = try TemporaryDirectory()
        let destinations = JobFile.destinations(Self.rows)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "resume-\(killPoint)", destinations: destinations))
        let output = dir.path("results.ndjson")

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let command =
                ["run", job, "--state-dir", dir.path("state"), "-o", output, "--concurrency", "4", "--rate", "0"]
                + simulator.endpointArguments

            // First run: killed once `killPoint` rows have their line and requests are in flight.
            let first = try RunningProcess.outdial(command, environment: simulator.environment)
            let ledger = LedgerFile(state: dir.path("state"))
            let killedInFlight = await poll {
                guard lineCount(atPath: output) >= killPoint else { return false }
                return await first.killIfWhileStopped { await ledger.inFlightCount() > 0 }
            }
            #expect(killedInFlight)
            let killed = await first.finish()
            #expect(killed.status == 128 + SIGKILL)
            let firstLines = resultLines(atPath: output)
            #expect(firstLines.count >= killPoint)
            #expect(firstLines.count < Self.rows, "the run ended before it was killed")
            let startedFirst = Dictionary(
                uniqueKeysWithValues: firstLines.filter { $0.status == "started" }.map {
                    ($0.row ?? -1, $0["contactId"] as? String ?? "")
                }
            )

            // Second run: the same command.
            let second = try await Outdial.run(command, environment: simulator.environment)
            let secondLines = Array(resultLines(atPath: output).dropFirst(firstLines.count))
            #expect(secondLines.count == Self.rows)
            #expect(Set(secondLines.compactMap(\.row)) == Set(0 ..< Self.rows))
            var uncertainRows: Set<Int> = []
            for line in secondLines {
                let row = try #require(line.row)
                switch line.status {
                case "skipped":
                    // Rows started before the kill are not sent again, and keep their contact.
                    // A row whose outcome reached the ledger just before the kill may have lost
                    // its line in the first results; it is still known as started, with its contact.
                    #expect(line.reason == "already-started")
                    let contact = line["contactId"] as? String
                    if let first = startedFirst[row] {
                        #expect(contact == first)
                    } else {
                        let dialled = simulator.requestLog().filter {
                            $0.newContact && $0.destination == line.destination
                        }
                        #expect(dialled.count == 1 && dialled.first?.contactId == contact)
                    }
                case "started":
                    if startedFirst[row] != nil {
                        let attempts = await ledger.describe(token: line["clientToken"] as? String)
                        Issue.record("row \(row) started again: \(attempts)")
                    }
                case "uncertain":
                    // In flight at the kill: an intent and no outcome; not sent again.
                    #expect(startedFirst[row] == nil)
                    #expect(line.errorCode == "OutcomeUnknown")
                    uncertainRows.insert(row)
                default:
                    Issue.record("row \(row) is \(line.status ?? "?") after resuming")
                }
            }
            #expect(!uncertainRows.isEmpty, "rows were in flight when the run was killed")
            #expect(secondLines.filter { $0.status == "skipped" }.count >= startedFirst.count)
            #expect(second.status == (uncertainRows.isEmpty ? 0 : 1))
            #expect(simulator.dialledTwice().isEmpty)
            // The ledger holds at most one attempt per row: no row was claimed twice.
            let attempts = try await ledger.attempts()
            #expect(Set(attempts.map(\.clientToken)).count == attempts.count)
            #expect(
                Set(attempts.filter { $0.status == 1 }.map(\.destination))
                    == Set(secondLines.filter { $0.status != "uncertain" }.compactMap(\.destination))
            )
            // Every row that reached the simulator is accounted for as started or uncertain.
            let dialled = Set(simulator.requestLog().filter(\.newContact).compactMap(\.destination))
            let accounted = Set(
                secondLines.filter { $0.status != "uncertain" }.compactMap(\.destination)
                    + uncertainRows.map { destinations[$0] }
            )
            #expect(dialled.isSubset(of: accounted))
            #expect(
                Set(secondLines.filter { $0.status != "uncertain" }.compactMap(\.destination)).isSubset(of: dialled)
            )

            // Third run with --redial-uncertain: only the uncertain rows are sent again.
            let before = simulator.requestLog().count
            let third = try await Outdial.run(command + ["--redial-uncertain"], environment: simulator.environment)
            #expect(third.status == 0, "\(third.stderr)")
            let thirdLines = Array(resultLines(atPath: output).dropFirst(firstLines.count + Self.rows))
            #expect(thirdLines.count == Self.rows)
            for line in thirdLines {
                let row = try #require(line.row)
                if uncertainRows.contains(row) {
                    #expect(line.status == "started")
                } else {
                    #expect(line.status == "skipped")
                    #expect(line.reason == "already-started")
                }
            }
            let resent = simulator.requestLog().dropFirst(before).compactMap(\.destination)
            #expect(resent.sorted() == uncertainRows.map { destinations[$0] }.sorted())
            // The same ClientToken: a call that did start is returned, not dialled again.
            #expect(simulator.dialledTwice().isEmpty)
        }
    }
}
