import ConnectSimulator
import Foundation
import Testing

/// `outdial report`: the page a manager opens, loaded in a real headless browser.
@Suite struct ReportTests {
    /// The numbers of `table`'s rows (`data-ATTRIBUTE="NAME">COUNT</td>`) in `html`.
    static func counts(_ attribute: String, in html: Substring) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let pattern = try Regex(#"data-\#(attribute)="([^"]*)">([0-9,]+)</td>"#)
        for match in html.matches(of: pattern) {
            let name = match.output[1].substring.map(String.init) ?? ""
            let digits = (match.output[2].substring.map(String.init) ?? "").replacingOccurrences(of: ",", with: "")
            counts[name] = Int(digits)
        }
        return counts
    }

    /// The part of `html` from the element with `marker` to the end of its table.
    static func table(_ marker: String, in html: String) -> Substring {
        guard let start = html.range(of: marker),
            let end = html.range(of: "</table>", range: start.upperBound ..< html.endIndex)
        else { return "" }
        return html[start.lowerBound ..< end.upperBound]
    }

    /// Rows by status and job as the results file says, the latest line of a row winning.
    static func expectedCounts(_ lines: [[String: Any]]) -> (all: [String: Int], byJob: [String: [String: Int]]) {
        var latest: [String: [String: Any]] = [:]
        for line in lines {
            guard let job = line["job"] as? String, let source = line["source"] as? String, let row = line.row else {
                continue
            }
            latest["\(job)\u{0}\(source)\u{0}\(row)"] = line
        }
        var all: [String: Int] = [:]
        var byJob: [String: [String: Int]] = [:]
        for line in latest.values {
            let status = line.status ?? "?"
            all[status, default: 0] += 1
            byJob[line["job"] as? String ?? "", default: [:]][status, default: 0] += 1
        }
        return (all, byJob)
    }

    @Test(
        .enabled(
            if: Chromium.path != nil,
            "chromium not found: `make deps` (as root) installs Debian's chromium; without it the page is not loaded"
        )
    )
    func thePageLoadsInABrowserWithNoConsoleErrorsAndItsTotalsMatchTheResults() async throws {
        let dir = try TemporaryDirectory()
        // Six rows, one invalid, one a duplicate; a seeded simulator refuses some of the rest.
        var destinations = JobFile.destinations(6)
        destinations += ["12", destinations[0]]
        let job = try dir.write("job.yaml", JobFile.yaml(id: "nightly", destinations: destinations))
        let results = dir.path("results.ndjson")
        try await withSimulator(SimulatorConfiguration(faults: .init(errorRate: 0.4), seed: 7)) { simulator in
            let run = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "-o", results, "--rate", "0", "--max-attempts", "1"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(run.status == 1, "\(run.stderr)")
        }
        // A line whose error message holds markup that must stay text, and a line cut off.
        let hostile =
            #"{"job":"<b>hostile</b>","source":"x.yaml","row":0,"line":3,"destination":"+15551239999","clientToken":"t","status":"failed","at":"2026-11-25T19:00:00.000Z","error":{"code":"InvalidParameterException","message":"<script>document.title='pwned';console.error('pwned')</script><img src=x onerror=alert(1)>"}}"#
        let handle = try #require(FileHandle(forWritingAtPath: results))
        handle.seekToEndOfFile()
        handle.write(Data((hostile + "\n" + #"{"job":"nightly","sou"# + "\n").utf8))
        try handle.close()

        let page = dir.path("report.html")
        let report = try await Outdial.run(["report", results, "-o", page])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.contains("9 rows of 2 jobs, 1 line(s) ignored -> \(page)"), "\(report.stderr)")

        let loaded = try await Chromium.load(page, screenshot: dir.path("report.png"), in: dir)
        #expect(loaded.status == 0)
        #expect(loaded.console.isEmpty, "console: \(loaded.console)")
        let dom = loaded.dom
        #expect(dom.contains("<title>outdial report</title>"))
        #expect(!dom.contains("<script"))
        #expect(!dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;document.title="))
        #expect(!dom.contains("15551230001"), "a phone number is shown unmasked")

        let expected = Self.expectedCounts(resultLines(atPath: results))
        #expect(expected.all["started", default: 0] > 0 && expected.all["failed", default: 0] > 0)
        #expect(try Self.counts("status", in: Self.table(#"id="totals-status""#, in: dom)) == expected.all)
        #expect(dom.contains(#"<span id="row-count">9</span>"#))
        for (job, counts) in expected.byJob {
            let marker =
                #"data-job="\#(job.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;"))""#
            #expect(try Self.counts("status", in: Self.table(marker, in: dom)) == counts, "job \(job)")
        }
        #expect(dom.contains(#"id="ignored" data-count="1""#))
        let png = try #require(FileManager.default.contents(atPath: dir.path("report.png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func aResultsFileThatCannotBeReadExits3AndNoPageIsWritten() async throws {
        let dir = try TemporaryDirectory()
        let result = try await Outdial.run(["report", dir.path("missing.ndjson"), "-o", dir.path("report.html")])
        #expect(result.status == 3)
        #expect(result.stderr.contains("outdial report: no report was written"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("report.html")))
        let usage = try await Outdial.run(["report"])
        #expect(usage.status == 2)
    }
}
