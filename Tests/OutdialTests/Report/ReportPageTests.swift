import Foundation
import Testing

@testable import Outdial

/// The page of `outdial report`: what a reader sees, and that nothing from the file runs.
@Suite struct ReportPageTests {
    @Test func textFromTheFileIsEscapedSoAScriptStaysText() throws {
        let hostile = #"<script>alert(1)</script> & \"quoted\" 'single' <img src=x onerror=alert(2)>"#
        let text = [
            RunReportTests.line(0, "failed", #","error":{"code":"<b>Bad</b>","message":"\#(hostile)"}"#),
            RunReportTests.line(job: #"j\"><script>x()</script>"#, 1, "skipped", #","reason":"<i>why</i>""#),
        ].joined(separator: "\n")
        let (_, page, _) = try RunReportTests.report(text)
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<b>Bad"))
        #expect(!page.contains("<i>why"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;"))
        #expect(page.contains(#"data-job="j&quot;&gt;&lt;script&gt;x()&lt;/script&gt;""#))
        #expect(page.contains(#"data-reason="&lt;i&gt;why&lt;/i&gt;">1</td>"#))
    }

    @Test func escapingCoversMarkupCharactersAndControlCharacters() {
        #expect(HTMLText.escape(#"a<b>&"c"'d'"#) == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;")
        #expect(HTMLText.escape("tab\tnl\nnul\u{0}esc\u{1B}") == "tab\tnl\nnul\u{FFFD}esc\u{FFFD}")
        #expect(HTMLText.escape("é 日本 📞") == "é 日本 📞")
    }

    @Test func thePageIsSelfContainedAndForbidsScriptsAndFetches() throws {
        let (_, page, _) = try RunReportTests.report(
            RunReportTests.started(0, at: "2026-11-25T19:00:00.000Z", outcome: "answered")
        )
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.contains(#"content="default-src 'none'; style-src 'unsafe-inline'""#))
        #expect(!page.contains("<script"))
        #expect(!page.contains("src="))
        #expect(!page.contains("href="))
        #expect(!page.contains("@import"))
        #expect(page.contains("<svg class=\"timeline\""))
        #expect(page.contains(#"<td class="n" data-status="started">1</td>"#))
        #expect(page.contains(#"<td class="n" data-outcome="answered">1</td>"#))
        #expect(page.contains("Made 2025-11-24 16:00 UTC"))
    }

    @Test func countsAreGroupedAndSharesRounded() {
        #expect(ReportPage.grouped(0) == "0")
        #expect(ReportPage.grouped(999) == "999")
        #expect(ReportPage.grouped(1000) == "1,000")
        #expect(ReportPage.grouped(1_234_567) == "1,234,567")
        #expect(ReportPage.percent(100) == "100%")
        #expect(ReportPage.percent(100.0 / 3) == "33.3%")
    }
}
