import ConnectSimulator
import Foundation
import Testing

/// A bad endpoint is a configuration error found before anything is journalled: no trap, no row
/// left `uncertain` for the next run.
@Suite struct EndpointTests {
    @Test func aPortAboveTheRangeAbortsCleanlyAndTheNextRunSendsEveryRow() async throws {
        let dir = try TemporaryDirectory()
        let destinations = JobFile.destinations(2)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "bad-port", destinations: destinations))
        let state = dir.path("state")

        try await withSimulator { simulator in
            for (arguments, environment) in [
                (["--endpoint-url", "http://127.0.0.1:99999"], [String: String]()),
                ([], ["AWS_ENDPOINT_URL": "http://127.0.0.1:70000"]),
            ] {
                let result = try await Outdial.run(
                    ["run", job, "--state-dir", state, "--region", simulator.region] + arguments,
                    environment: simulator.environment.merging(environment) { $1 }
                )
                #expect(result.status == 3, "\(result.stderr)")
                let lines = ndjson(result.stdout)
                #expect(lines.count == 2)
                for line in lines {
                    #expect(line.status == "skipped")
                    #expect(line["reason"] as? String == "halted")
                    #expect(line.errorCode == "InvalidEndpoint")
                }
                #expect(result.stderr.contains("is not 1-65535"), "\(result.stderr)")
                #expect(!result.stderr.contains("InvalidEndpoint: InvalidEndpoint"))
            }

            let result = try await Outdial.run(
                ["run", job, "--state-dir", state] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(ndjson(result.stdout).filter { $0.status == "started" }.count == 2)
            #expect(simulator.dialledTwice().isEmpty)
        }
    }

    @Test func credentialsInAnEndpointURLAreNeverPrinted() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "userinfo", destinations: JobFile.destinations(1)))
        let result = try await Outdial.run(
            [
                "run", job, "--state-dir", dir.path("state"), "--region", "us-east-1",
                "--endpoint-url", "https://AKIAEXAMPLEKEY:verysecretvalue@127.0.0.1:8443",
            ],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"]
        )
        #expect(result.status == 3, "\(result.stderr)")
        #expect(!result.stderr.contains("verysecretvalue"))
        #expect(!result.stdout.contains("verysecretvalue"))
        #expect(!result.stdout.contains("AKIAEXAMPLEKEY"))
    }

    @Test func emptyConfigFilesAreReadAsTheAWSCLIReadsThem() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "dev-null", destinations: JobFile.destinations(1)))
        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state")] + simulator.endpointArguments,
                environment: simulator.environment.merging([
                    "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                ]) { $1 }
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(ndjson(result.stdout).first?.status == "started")
        }
    }
}
