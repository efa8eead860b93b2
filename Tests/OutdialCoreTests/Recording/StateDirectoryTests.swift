import Foundation
import Testing

@testable import OutdialCore

struct StateDirectoryTests {
    @Test func resolutionOrder() {
        let all = ["OUTDIAL_STATE_DIR": "/env/state", "XDG_STATE_HOME": "/xdg", "HOME": "/home/ops"]
        #expect(StateDirectory.resolve(option: "/opt/state", environment: all)?.path == "/opt/state")
        #expect(StateDirectory.resolve(option: nil, environment: all)?.path == "/env/state")
        #expect(
            StateDirectory.resolve(option: nil, environment: ["XDG_STATE_HOME": "/xdg", "HOME": "/h"])?.path
                == "/xdg/outdial"
        )
        #expect(
            StateDirectory.resolve(option: nil, environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])?.path
                == "/h/.local/state/outdial"
        )
        #expect(StateDirectory.resolve(option: nil, environment: [:]) == nil)
    }

    @Test func jobFilesLiveUnderJobs() {
        let directory = StateDirectory(path: "/var/lib/outdial/")
        #expect(directory.journalPath(job: "nightly-2026-11-25") == "/var/lib/outdial/jobs/nightly-2026-11-25.journal")
    }

    @Test func jobIdsMapToFileNamesWithoutCollisions() {
        // Ids of letters, digits, _, - and . keep the names they always had.
        for plain in ["team_nightly", "nightly-2026-11-25", "job.v2-abcdef012345", "job-cdb4ee2aea69"] {
            #expect(StateDirectory.fileName(forJob: plain) == plain)
        }
        // Any other id has every other byte escaped, so it never looks like a plain one.
        #expect(StateDirectory.fileName(forJob: "team/nightly") == "team%2Fnightly")
        #expect(StateDirectory.fileName(forJob: ".") == "%2E")
        #expect(StateDirectory.fileName(forJob: "..") == "%2E%2E")
        #expect(StateDirectory.fileName(forJob: "../../etc/passwd") == "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd")
        #expect(StateDirectory.fileName(forJob: "r\u{e9}sum\u{e9}") == "r%C3%A9sum%C3%A9")
        #expect(StateDirectory.fileName(forJob: "") == "%")
        let long = String(repeating: "x/", count: 80)
        #expect(StateDirectory.fileName(forJob: long).hasPrefix("%%"))
        #expect(StateDirectory.fileName(forJob: long).count == 2 + 64)
    }

    @Test func dotAndItsOldFileNameAreDifferentJournals() {
        // Before, "." was written to job-cdb4ee2aea69.journal: the journal of the job of that id.
        let directory = StateDirectory(path: "/state")
        #expect(directory.journalPath(job: ".") != directory.journalPath(job: "job-cdb4ee2aea69"))
        let ids = [
            ".", "..", "", "a/b", "a%2Fb", "a_b", "a.b", ".a", "%2Ea", "%", "%%", "job", "job-",
            "x" + String(repeating: "y", count: 100),
        ]
        #expect(Set(ids.map(StateDirectory.fileName(forJob:))).count == ids.count)
    }

    @Test func aJournalKeptUnderAFormerNameIsStillRead() async throws {
        // Earlier versions wrote the journal of "team/nightly" as team_nightly-<hash>.journal;
        // runs read it (never write it) so rows started under that name are not dialled again.
        let directory = try RecordingFixtures.temporaryStateDirectory()
        let job = "team/nightly"
        let legacy = try #require(directory.legacyJournalPath(job: job))
        #expect(legacy.hasPrefix(directory.jobsPath + "/team_nightly-"))
        #expect(legacy != directory.journalPath(job: job))
        #expect(directory.legacyJournalPath(job: "team_nightly") == nil)
        let date = Date(timeIntervalSince1970: 1_795_568_400)
        let bytes =
            JournalRecord.intentLine(for: RecordingFixtures.row(0, job: job), at: date)
            + JournalRecord.outcomeLine(for: RecordingFixtures.row(0, job: job), .started(contactId: "c-0"), at: date)
            + JournalRecord.intentLine(for: RecordingFixtures.row(1, job: job), at: date)
        try Data(bytes).write(to: URL(fileURLWithPath: legacy))

        let state = try JournalState.load(path: legacy)
        #expect(state[RecordingFixtures.row(0, job: job).clientToken] == .started(contactId: "c-0"))
        #expect(state[RecordingFixtures.row(1, job: job).clientToken] == .uncertain)
        #expect(state[RecordingFixtures.row(2, job: job).clientToken] == nil)
    }

    @Test func createdDirectoriesAreForTheOwnerOnly() throws {
        let path = RecordingFixtures.temporaryPath("fresh") + "/nested/state"
        try StateDirectory(path: path).prepare()
        #expect(try Self.mode(path) == 0o700)
        #expect(try Self.mode(path + "/jobs") == 0o700)
    }

    @Test func sharedStateDirectoryIsRefusedWithTheFix() throws {
        let path = RecordingFixtures.temporaryPath("shared")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: path)
        #expect {
            try StateDirectory(path: path).prepare()
        } throws: { error in
            let error = error as? RecordingError
            return error?.code == "StateDirectoryUnusable"
                && error?.message
                    == "state directory \(path) is not usable: \(path) can be written by other users (mode 1777); "
                    + "run chmod 700 \(path)"
        }
        // Nothing was created inside it.
        #expect(!FileManager.default.fileExists(atPath: path + "/jobs"))
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        try StateDirectory(path: path).prepare()
    }

    @Test func groupWritableJobsDirectoryIsRefused() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o770], ofItemAtPath: directory.jobsPath)
        #expect {
            try directory.prepare()
        } throws: { error in
            (error as? RecordingError)?.message.hasSuffix("run chmod 700 \(directory.jobsPath)") == true
        }
    }

    @Test func aPlantedSymbolicLinkIsNotReadAsAJournal() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        let victim = RecordingFixtures.temporaryPath("victim")
        try #"{"intent":"token-0","source":"calls.yaml","row":0,"t":"2026-11-25T01:00:00.000Z"}"#
            .appending("\n").write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: directory.journalPath(job: "nightly"),
            withDestinationPath: victim
        )
        #expect {
            _ = try JournalState.load(path: directory.journalPath(job: "nightly"))
        } throws: { error in
            (error as? RecordingError)?.code == "JournalUnreadable"
        }
        #expect(FileManager.default.fileExists(atPath: victim))
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue
    }
}
