import ArgumentParser
import ConnectSimulator
import Foundation
import Logging

/// `outdial simulate`: a local Amazon Connect stand-in, until SIGINT or SIGTERM.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a local Amazon Connect stand-in for outbound calls and their live-call operations.",
        discussion: """
            Serves PUT /contact/outbound-voice over HTTP with SigV4 checks, body validation, \
            ClientToken idempotency, quotas and seeded faults, and dials nobody. Each contact rings, then \
            ends as drawn from --outcomes; DescribeContact, StopContact and GetCurrentMetricData \
            (AGENTS_AVAILABLE of --agents) answer as Connect does. It prints one line \
            with its URL and credentials, then runs until interrupted:

              $ outdial simulate --port 0 --tps 5 --burst 10 --log calls.ndjson
              outdial simulate: listening on http://127.0.0.1:41817 region=us-east-1 access-key=AKID... secret-key=...

              $ AWS_ACCESS_KEY_ID=AKID... AWS_SECRET_ACCESS_KEY=... \\
                outdial run job.yaml --endpoint-url http://127.0.0.1:41817 --region us-east-1
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "The port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "The region requests must be signed for.")
    var region = "us-east-1"

    @Option(help: ArgumentHelp("The access key id to accept (default: generated and printed).", valueName: "AK"))
    var accessKey: String?

    @Option(help: ArgumentHelp("The secret access key to accept (default: generated and printed).", valueName: "SK"))
    var secretKey: String?

    @Option(help: ArgumentHelp("Require this session token (x-amz-security-token).", valueName: "TOKEN"))
    var sessionToken: String?

    @Option(
        help: ArgumentHelp(
            "Service time per request in milliseconds: a fixed MS, or P50,P99 for a log-normal spread.",
            valueName: "MS|P50,P99"
        )
    )
    var latency: String?

    @Option(
        parsing: .unconditional,
        help: "API rate quota in requests per second; past it, 429 TooManyRequestsException."
    )
    var tps: Double?

    @Option(parsing: .unconditional, help: "Requests allowed at once under --tps (default: --tps rounded up).")
    var burst: Int?

    @Option(parsing: .unconditional, help: "Calls active at once; more are accepted but logged with outcome busy.")
    var maxActiveCalls: Int?

    @Option(
        parsing: .unconditional,
        help: "How long an answered call (or a voicemail) lasts once connected, in seconds."
    )
    var callSeconds: Double = 30

    @Option(
        help: ArgumentHelp(
            "How long each call rings before it is answered, busy or reaches voicemail, in seconds: a fixed S, "
                + "or P50,P99 for a log-normal spread.",
            valueName: "S|P50,P99"
        )
    )
    var ringSeconds = "2,6"

    @Option(
        help: ArgumentHelp(
            "How calls end, drawn per call (seeded): weights of answered, no-answer, busy, voicemail.",
            valueName: "NAME=W,..."
        )
    )
    var outcomes = "answered=0.6,no-answer=0.2,busy=0.1,voicemail=0.1"

    @Option(
        help: ArgumentHelp(
            "Agents of a queue (repeatable, or comma-separated): an answered call with that QueueId holds one "
                + "for its length; one answered with none free is abandoned.",
            valueName: "QUEUE=N"
        )
    )
    var agents: [String] = []

    @Option(
        help: ArgumentHelp(
            "The quota of an operation (repeatable): DescribeContact, StopContact or GetCurrentMetricData "
                + "(defaults 10/15, 10/15, 5/8); R/B is requests per second and burst, off for none.",
            valueName: "NAME=R/B|NAME=off"
        )
    )
    var apiTps: [String] = []

    @Option(parsing: .unconditional, help: "Fraction of requests answered 429 TooManyRequestsException.")
    var throttleRate: Double = 0

    @Option(parsing: .unconditional, help: "Fraction of requests answered 500 InternalServiceException.")
    var errorRate: Double = 0

    @Option(parsing: .unconditional, help: "Fraction of requests whose connection is reset without an answer.")
    var resetRate: Double = 0

    @Option(parsing: .unconditional, help: "Fraction of requests never answered (the client's timeout fires).")
    var hangRate: Double = 0

    @Option(
        parsing: .unconditional,
        help: "Seed for the random draws (faults, latency, contact ids), for repeatable runs."
    )
    var seed: UInt64?

    @Option(
        name: .customLong("log"),
        help: ArgumentHelp("Append one NDJSON line per request to FILE.", valueName: "FILE")
    )
    var logPath: String?

    func run() async throws {
        let logger = Logger(label: "outdial.simulate")
        try await ConnectSimulator.run(simulatorConfiguration, logger: logger) { running in
            // Written straight to the descriptor, so a script reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data("outdial simulate: \(running.listeningLine)\n".utf8))
        }
    }
}
