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
        #expect(directory.lockPath(job: "nightly") == "/var/lib/outdial/jobs/nightly.lock")
    }

    @Test func jobIdsAreSanitizedWithoutCollisions() {
        let slash = StateDirectory.fileName(forJob: "team/nightly")
        let underscore = StateDirectory.fileName(forJob: "team_nightly")
        #expect(underscore == "team_nightly")
        #expect(slash.hasPrefix("team_nightly-"))
        #expect(slash.count == "team_nightly-".count + 12)
        #expect(slash != underscore)
        #expect(!StateDirectory.fileName(forJob: "../../etc/passwd").contains("/"))
        #expect(!StateDirectory.fileName(forJob: "..").hasPrefix("."))
        #expect(StateDirectory.fileName(forJob: "").hasPrefix("job-"))
    }
}
