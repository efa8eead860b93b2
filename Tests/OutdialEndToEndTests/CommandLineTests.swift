import ConnectSimulator
import Foundation
import Testing

/// What a user typing commands sees: suggestions, range errors, help, output checks.
@Suite struct CommandLineTests {
    @Test func aMistypedCommandGetsASuggestion() async throws {
        let result = try await Outdial.run(["rn", "jobs/reminders.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'rn'; did you mean 'run'?"))
        let other = try await Outdial.run(["valdiate", "jobs/reminders.yaml"])
        #expect(other.stderr.contains("did you mean 'validate'?"))
    }

    @Test func aNegativeNumberReachesTheRangeCheck() async throws {
        for (option, message) in [
            ("--rate", "--rate must be 0 (unlimited) or a positive number"),
            ("--concurrency", "--concurrency must be at least 1"),
            ("--timeout", "--timeout must be more than 0 and at most 3600 seconds"),
        ] {
            let result = try await Outdial.run(["run", "jobs/reminders.yaml", "--dry-run", option, "-1"])
            #expect(result.status == 2, "\(option)")
            #expect(result.stderr.contains(message), "\(option): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(option)")
        }
    }

    @Test func liveCallAndMetricsOptionsSayWhatTheyTake() async throws {
        for (arguments, message) in [
            (["--describe-rate", "0"], "--describe-rate must be more than 0 and at most 1000"),
            (["--describe-rate", "-1"], "--describe-rate must be more than 0 and at most 1000"),
            (["--pushgateway", "pushgateway:9091"], "--pushgateway takes an http:// or https:// address"),
            (["--quota-key", ""], "--quota-key takes a name of 1 to 200 printable characters"),
            (["--quota-key", "team\u{1B}[31m"], "--quota-key takes a name of 1 to 200 printable characters"),
        ] {
            let result = try await Outdial.run(["run", "jobs/reminders.yaml", "--dry-run"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func aDeadlineOfTheClockIsReadFromTheStartTimeSet() async throws {
        // OUTDIAL_START_TIME sets the run's day and time: `--deadline HH:MM` is on that day.
        let environment = ["OUTDIAL_START_TIME": "2026-12-02T05:30:00Z", "TZ": "UTC"]
        let past = try await Outdial.run(
            ["run", "jobs/reminders.yaml", "--dry-run", "--deadline", "05:00"],
            environment: environment
        )
        #expect(past.stderr.contains("--deadline 2026-12-02T05:00:00.000Z has already passed"), "\(past.stderr)")
        let ahead = try await Outdial.run(
            ["run", "jobs/reminders.yaml", "--dry-run", "--deadline", "06:00"],
            environment: environment
        )
        #expect(!ahead.stderr.contains("has already passed"), "\(ahead.stderr)")
    }

    @Test func hugeTimeoutsAreRangeErrorsNotCrashes() async throws {
        for arguments in [["--timeout", "1e300"], ["--timeout", "inf"], ["--cli-connect-timeout", "1e300"]] {
            let result = try await Outdial.run(["run", "jobs/reminders.yaml", "--dry-run"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("at most 3600 seconds"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func theTopLevelHelpMentionsCompletions() async throws {
        let result = try await Outdial.run(["--help"])
        #expect(result.stdout.contains("outdial --generate-completion-script bash|zsh|fish"))
        let script = try await Outdial.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        #expect(script.stdout.contains("spool"))
    }

    @Test func resultsAreNeverWrittenIntoAJobFile() async throws {
        let dir = try TemporaryDirectory()
        let text = JobFile.yaml(id: "kept", destinations: JobFile.destinations(2))
        let job = try dir.write("job.yaml", text)
        let result = try await Outdial.run(["run", job, "--dry-run", "-o", job])
        #expect(result.status == 2)
        #expect(result.stderr.contains("outdial: nothing was sent: -o \(job) is \(job), a file being read"))
        #expect(try String(contentsOfFile: job, encoding: .utf8) == text)
    }

    @Test func aJobWithoutIdIsWarnedAboutInValidate() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write(
            "noid.yaml",
            JobFile.yaml(id: "x", destinations: JobFile.destinations(1)).replacingOccurrences(of: "id: x\n", with: "")
        )
        let result = try await Outdial.run(["validate", job])
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning: the job has no id") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("\(job): warning:") == true)
    }

    @Test func anAbortIsPrintedOnce() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "no-state", destinations: JobFile.destinations(1)))
        let file = try dir.write("plain-file", "not a directory\n")
        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", file + "/state"] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 3)
            #expect(result.stderr.components(separatedBy: "is not usable").count == 2, "\(result.stderr)")
            #expect(result.stderr.contains("outdial: 1 row in "))
        }
    }

    @Test func anUnreachableEndpointIsReportedOnce() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "nowhere", destinations: JobFile.destinations(4)))
        let result = try await Outdial.run(
            [
                "run", job, "--state-dir", dir.path("state"), "--max-attempts", "1", "--endpoint-url",
                "http://127.0.0.1:1", "--region", "us-east-1",
            ],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]
        )
        #expect(result.status == 3)
        #expect(result.stderr.components(separatedBy: "could not reach the endpoint").count == 2, "\(result.stderr)")
        #expect(result.stderr.contains("outdial: aborted: EndpointUnreachable: "))
    }
}
