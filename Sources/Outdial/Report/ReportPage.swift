import Foundation
import OutdialCore

/// A report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched (its
/// Content-Security-Policy forbids both). Every text taken from a results file is escaped.
public struct ReportPage: Sendable {
    public var report: RunReport
    /// When the page was made, shown in its header.
    public var generatedAt: Date

    public init(report: RunReport, generatedAt: Date) {
        self.report = report
        self.generatedAt = generatedAt
    }

    /// The page, as UTF-8 text.
    public func html() -> String {
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>outdial report</title>
            <style>\(Self.style)</style>
            </head>
            <body>

            """
        page += header()
        page += summary()
        for (index, job) in report.jobs.enumerated() {
            page += section(job, index: index)
        }
        page += "</body>\n</html>\n"
        return page
    }

    private func header() -> String {
        let files = report.files.map { "<code>\(e($0))</code>" }.joined(separator: ", ")
        let jobs = report.jobs.count
        return """
            <header>
            <h1>outdial report</h1>
            <p class="meta"><span id="row-count">\(n(report.rows))</span> row\(plural(report.rows)) \
            of \(n(jobs)) job\(plural(jobs)), from \(n(report.lines)) results line\(plural(report.lines)) \
            in \(files). Each row counts once, as its latest line says. Times are UTC; phone numbers \
            are masked. Made \(Self.minute(generatedAt)) UTC.</p>
            </header>

            """
    }

    private func summary() -> String {
        var html = "<section id=\"summary\">\n<h2>All jobs</h2>\n"
        html += statusBar(report.statuses, total: report.rows)
        html += "<div class=\"grid\">\n"
        html += counts("Rows by status", report.statuses, attribute: "status", id: "totals-status", total: report.rows)
        let outcomes = report.outcomes
        if outcomes.counts.keys.contains(where: { $0 != "not followed" }) {
            html += counts(
                "Started rows by outcome",
                outcomes,
                attribute: "outcome",
                id: "totals-outcome",
                total: outcomes.total
            )
        }
        html += "</div>\n"
        html += ignored()
        html += "</section>\n"
        return html
    }

    /// The lines that were skipped, said plainly: how many, and the first few.
    private func ignored() -> String {
        guard !report.ignored.isEmpty else { return "" }
        let count = report.ignored.count
        var html = """
            <div class="warning" id="ignored" data-count="\(count)"><p><strong>\(n(count)) line\(plural(count)) \
            ignored</strong>: not complete JSON, or not results lines (a run cut off by a crash leaves at most \
            a partial last line).</p>\n<ul>\n
            """
        for diagnostic in report.ignored.prefix(10) {
            html += "<li><code>\(e(PhoneMasking.maskNumbers(in: diagnostic.description)))</code></li>\n"
        }
        if count > 10 { html += "<li>and \(n(count - 10)) more</li>\n" }
        return html + "</ul>\n</div>\n"
    }

    private func section(_ job: JobReport, index: Int) -> String {
        let sources = job.sources.map { "<code>\(e($0))</code>" }.joined(separator: ", ")
        var html = """
            <section class="job" id="job-\(index + 1)" data-job="\(e(job.job))">
            <h2>Job <code>\(e(job.job))</code></h2>
            <p class="meta">\(n(job.rows)) row\(plural(job.rows)) from \(sources)</p>

            """
        html += statusBar(job.statuses, total: job.rows)
        html += "<div class=\"grid\">\n"
        html += counts("Rows by status", job.statuses, attribute: "status", total: job.rows)
        if job.outcomes.counts.keys.contains(where: { $0 != "not followed" }) {
            html += counts("Started rows by outcome", job.outcomes, attribute: "outcome", total: job.outcomes.total)
        }
        if !job.reasons.isEmpty {
            html += counts("Skipped rows by reason", job.reasons, attribute: "reason", total: job.reasons.total)
        }
        if !job.timezones.isEmpty {
            // A line names its zone when it carries the request: rows not started, and started rows
            // whose call may be tried again.
            html += counts(
                "Rows by time zone, where the line names it",
                job.timezones,
                attribute: "timezone",
                total: job.timezones.total
            )
        }
        html += "</div>\n"
        html += timeline(job.timeline)
        html += errors(job.errors)
        html += "</section>\n"
        return html
    }

    /// One table of counts, with a bar for each share of `total`.
    private func counts(_ title: String, _ tally: Tally, attribute: String, id: String? = nil, total: Int) -> String {
        var html = "<table class=\"counts\"\(id.map { " id=\"\($0)\"" } ?? "")>\n"
        html += "<caption>\(e(title))</caption>\n<tbody>\n"
        for (name, count) in tally.sorted {
            let share = total > 0 ? Double(count) / Double(total) * 100 : 0
            html += """
                <tr><th scope="row"><span class="dot \(Self.colour(name))"></span>\(e(name))</th>\
                <td class="n" data-\(attribute)="\(e(name))">\(n(count))</td>\
                <td class="share"><span class="bar \(Self.colour(name))" style="width:\(Self.percent(share))"></span>\
                </td><td class="pct">\(Self.percent(share))</td></tr>

                """
        }
        return html + "</tbody>\n</table>\n"
    }

    /// The statuses as one stacked bar.
    private func statusBar(_ tally: Tally, total: Int) -> String {
        guard total > 0 else { return "" }
        var html = "<div class=\"stack\" role=\"img\" aria-label=\"rows by status\">"
        for (name, count) in tally.sorted {
            let share = Double(count) / Double(total) * 100
            html += "<span class=\"\(Self.colour(name))\" style=\"width:\(Self.percent(share))\" "
            html += "title=\"\(e(name)): \(n(count))\"></span>"
        }
        return html + "</div>\n"
    }

    private func errors(_ groups: [JobReport.ErrorGroup]) -> String {
        guard !groups.isEmpty else { return "<h3>Errors by code</h3>\n<p class=\"none\">No errors.</p>\n" }
        var html = """
            <h3>Errors by code</h3>
            <table class="errors">
            <thead><tr><th>code</th><th class="n">rows</th><th>examples</th></tr></thead>
            <tbody>

            """
        for group in groups {
            html += "<tr><th scope=\"row\"><code>\(e(group.code))</code></th>"
            html +=
                "<td class=\"n\" data-code=\"\(e(group.code))\">\(n(group.count))</td><td>\n<ul class=\"examples\">\n"
            for example in group.examples {
                html += "<li><code>\(e(example.place))</code> row \(example.row) · \(e(example.status)) · "
                html += "<code class=\"phone\">\(e(example.destination))</code>"
                if let at = example.at { html += " · \(e(at))" }
                html += "<br><span class=\"message\">\(e(example.message))</span></li>\n"
            }
            if group.count > group.examples.count {
                html += "<li class=\"more\">and \(n(group.count - group.examples.count)) more</li>\n"
            }
            html += "</ul>\n</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: - Small things

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    private func n(_ count: Int) -> String { Self.grouped(count) }

    private func plural(_ count: Int) -> String { count == 1 ? "" : "s" }

    /// `1234567` as `1,234,567`.
    static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (count < 0 ? "-" : "") + result
    }

    /// A share as CSS and as text: `12.5%`.
    static func percent(_ share: Double) -> String {
        let rounded = (share * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded))%" : "\(rounded)%"
    }

    /// `2026-11-25 19:03`, in UTC.
    static func minute(_ date: Date) -> String {
        let text = RFC3339Timestamp.string(from: date)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// The colour class of a status or outcome name; names it does not know are grey.
    static func colour(_ name: String) -> String {
        switch name {
        case "started", "answered": return "c-good"
        case "failed", "busy", "invalid-number": return "c-bad"
        case "invalid": return "c-warn"
        case "uncertain", "live", "unknown": return "c-odd"
        case "no-answer", "voicemail": return "c-mild"
        default: return "c-none"
        }
    }
}
