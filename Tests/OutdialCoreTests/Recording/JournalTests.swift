import Foundation
import Testing

@testable import OutdialCore

struct JournalTests {
    @Test func recordsIntentsAndOutcomesAsNDJSON() async throws {
        let path = RecordingFixtures.temporaryPath("j.journal")
        let journal = try Journal(path: path)
        _ = try await journal.recordIntent(for: RecordingFixtures.row(0))
        await journal.recordOutcome(for: RecordingFixtures.row(0), .started(contactId: "c-1"))
        _ = try await journal.recordIntent(for: RecordingFixtures.row(1))
        await journal.recordOutcome(for: RecordingFixtures.row(1), .failed(code: "InvalidParameterException"))
        await journal.synchronize()
        let lines = RecordingFixtures.lines(ofFile: path)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix(#"{"intent":"token-0","source":"calls.yaml","row":0,"t":"20"#))
        #expect(lines[1].hasPrefix(#"{"outcome":"token-0","status":"started","contactId":"c-1","t":"#))
        let state = try JournalState.load(path: path)
        #expect(state["token-0"] == .started(contactId: "c-1"))
        #expect(state["token-1"] == .failed(code: "InvalidParameterException"))
        #expect(state["token-2"] == nil)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func groupCommitBatchesConcurrentIntents() async throws {
        let path = RecordingFixtures.temporaryPath("j.journal")
        let journal = try Journal(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0 ..< 200 {
                group.addTask { _ = try await journal.recordIntent(for: RecordingFixtures.row(index)) }
            }
            try await group.waitForAll()
        }
        let fsyncs = await journal.fsyncCount
        #expect(await journal.intentCount == 200)
        #expect(fsyncs < 40, "\(fsyncs) fsyncs for 200 intents")
        #expect(RecordingFixtures.lines(ofFile: path).count == 200)
        #expect(try JournalState.load(path: path).entries.count == 200)
    }

    @Test func tornLastLineIsIgnored() {
        let bytes = Array(
            (#"{"intent":"a","source":"s","row":0,"t":"x"}"# + "\n"
                + #"{"outcome":"a","status":"started","contactId":"c-a","t":"x"}"# + "\n"
                + #"{"intent":"b","source":"s","row":1,"t":"x"}"# + "\n"
                + #"{"outcome":"b","status":"sta"#).utf8
        )
        let state = JournalState.parse(bytes)
        #expect(state["a"] == .started(contactId: "c-a"))
        #expect(state["b"] == .uncertain)
        #expect(state.ignoredLines == 1)
    }

    @Test func startedIsNeverUndoneAndANewIntentMakesAFailedRowUncertain() {
        let bytes = Array(
            [
                #"{"intent":"a","source":"s","row":0,"t":"x"}"#,
                #"{"outcome":"a","status":"started","contactId":"c-a","t":"x"}"#,
                #"{"intent":"a","source":"s","row":0,"t":"y"}"#,
                #"{"intent":"b","source":"s","row":1,"t":"x"}"#,
                #"{"outcome":"b","status":"failed","code":"Timeout","t":"x"}"#,
                #"{"intent":"b","source":"s","row":1,"t":"y"}"#,
                #"{"intent":"c","source":"s","row":2,"t":"x"}"#,
                #"{"outcome":"c","status":"uncertain","code":"Timeout","t":"x"}"#,
                "",
            ].joined(separator: "\n").utf8
        )
        let state = JournalState.parse(bytes)
        #expect(state["a"] == .started(contactId: "c-a"))
        #expect(state["b"] == .uncertain)
        #expect(state["c"] == .uncertain)
        #expect(state.ignoredLines == 0)
    }

    @Test func appendingAfterATornRecordStartsOnAFreshLine() async throws {
        let path = RecordingFixtures.temporaryPath("j.journal")
        try #"{"intent":"token-9","sou"#.write(toFile: path, atomically: false, encoding: .utf8)
        let journal = try Journal(path: path)
        _ = try await journal.recordIntent(for: RecordingFixtures.row(1))
        let state = try JournalState.load(path: path)
        #expect(state["token-1"] == .uncertain)
        #expect(state.ignoredLines == 1)
    }

    @Test func unreadableLinesAreWarnedAboutOncePerJournal() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        let path = directory.journalPath(job: "job-1")
        let text = [
            #"{"intent":"a","source":"s","row":0,"t":"x"}"#,
            "garbage",
            #"{"outcome":"a","status":"started","contactId":"c-a","t":"x"}"#,
            "more garbage",
            "",
        ].joined(separator: "\n")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let journals = try JobJournals(jobs: ["job-1", "job-2"], in: directory, command: "outdial run")
        #expect(
            journals.warnings == [
                "journal \(path): line 2 is not a journal record and was ignored (and 1 more line); "
                    + "rows it recorded may be taken as never sent"
            ]
        )
        #expect(JournalState.parse(Array(text.utf8)).firstIgnoredLine == 2)
    }

    @Test func missingJournalIsEmpty() throws {
        let state = try JournalState.load(path: RecordingFixtures.temporaryPath("none.journal"))
        #expect(state.entries.isEmpty)
    }

    @Test func unwritableStateDirectoryIsAClearError() throws {
        let file = RecordingFixtures.temporaryPath("plain-file")
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let directory = StateDirectory(path: file + "/state")
        #expect {
            _ = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run")
        } throws: { error in
            let error = error as? RecordingError
            return error?.code == "StateDirectoryUnusable"
                && error?.message.hasPrefix("state directory \(file)/state is not usable: ") == true
        }
    }
}
