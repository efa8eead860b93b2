import Foundation

extension ReportPage {
    /// Chart size in SVG units (the chart scales to the page's width).
    private static let chart = (width: 960.0, height: 200.0, left: 44.0, right: 8.0, top: 12.0, bottom: 28.0)

    /// Starts and errors per bucket as an inline SVG bar chart, each bucket with a tooltip.
    func timeline(_ timeline: ReportTimeline) -> String {
        let per = timeline.minutes == 1 ? "minute" : "\(timeline.minutes) minutes"
        var html = "<h3>Starts and errors per \(per)</h3>\n"
        guard let first = timeline.buckets.first, let last = timeline.buckets.last else {
            html += "<p class=\"none\">No row was sent.</p>\n"
            return html + untimed(timeline.untimedErrors)
        }
        let c = Self.chart
        let plotWidth = c.width - c.left - c.right
        let plotHeight = c.height - c.top - c.bottom
        let peak = max(timeline.peak, 1)
        let slot = plotWidth / Double(timeline.buckets.count)
        let bar = max(slot / 2 - (slot > 4 ? 1 : 0), 0.5)
        func height(_ count: Int) -> Double { Double(count) / Double(peak) * plotHeight }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        let base = c.top + plotHeight
        let starts = timeline.buckets.reduce(0) { $0 + $1.starts }
        let errors = timeline.buckets.reduce(0) { $0 + $1.errors }
        html += """
            <svg class="timeline" viewBox="0 0 \(Int(c.width)) \(Int(c.height))" role="img" \
            data-starts="\(starts)" data-errors="\(errors)" xmlns="http://www.w3.org/2000/svg">
            <title>Rows started and errors per \(per), \(Self.minute(first.start)) to \
            \(Self.minute(last.start)) UTC</title>
            <line class="axis" x1="\(number(c.left))" y1="\(number(base))" x2="\(number(c.width - c.right))" \
            y2="\(number(base))"/>
            <line class="grid" x1="\(number(c.left))" y1="\(number(c.top))" x2="\(number(c.width - c.right))" \
            y2="\(number(c.top))"/>
            <text class="label" x="\(number(c.left - 6))" y="\(number(c.top + 4))" text-anchor="end">\
            \(Self.grouped(peak))</text>
            <text class="label" x="\(number(c.left - 6))" y="\(number(base))" text-anchor="end">0</text>

            """
        for (index, bucket) in timeline.buckets.enumerated() where bucket.starts > 0 || bucket.errors > 0 {
            let x = c.left + Double(index) * slot
            html += "<g><title>\(Self.minute(bucket.start)) UTC: \(bucket.starts) started, "
            html += "\(bucket.errors) error\(bucket.errors == 1 ? "" : "s")</title>"
            if bucket.starts > 0 {
                let h = height(bucket.starts)
                html += "<rect class=\"starts\" x=\"\(number(x))\" y=\"\(number(base - h))\" "
                html += "width=\"\(number(bar))\" height=\"\(number(h))\"/>"
            }
            if bucket.errors > 0 {
                let h = height(bucket.errors)
                html += "<rect class=\"errors\" x=\"\(number(x + slot / 2))\" y=\"\(number(base - h))\" "
                html += "width=\"\(number(bar))\" height=\"\(number(h))\"/>"
            }
            html += "</g>\n"
        }
        let labelY = number(c.height - 8)
        html += """
            <text class="label" x="\(number(c.left))" y="\(labelY)">\(Self.minute(first.start))</text>
            <text class="label" x="\(number(c.width - c.right))" y="\(labelY)" text-anchor="end">\
            \(Self.minute(last.start))</text>
            </svg>
            <p class="legend"><span class="dot c-good"></span>started (\(Self.grouped(starts))) \
            <span class="dot c-bad"></span>failed or uncertain (\(Self.grouped(errors))), by when the last \
            attempt was sent</p>

            """
        return html + untimed(timeline.untimedErrors)
    }

    private func untimed(_ count: Int) -> String {
        guard count > 0 else { return "" }
        return "<p class=\"note\">\(Self.grouped(count)) failed or uncertain row\(count == 1 ? " has" : "s have") "
            + "no time in the results (written by an earlier outdial) and \(count == 1 ? "is" : "are") not "
            + "on the timeline.</p>\n"
    }
}
