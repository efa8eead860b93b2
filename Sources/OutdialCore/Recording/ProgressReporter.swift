import OutdialBase

/// A live progress line on standard error, rewritten in place with `\r`:
/// `  120/1000  2.0/s  ETA 7m20s  3 errors`. Redrawn at most every `interval`.
public final class ProgressReporter {
    private let fd: Int32
    private let total: Int
    private let interval: Duration
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    private var drew = false

    /// - Parameters:
    ///   - total: rows in the run.
    ///   - fileDescriptor: where to draw (standard error by default).
    ///   - interval: the shortest time between redraws.
    public init(total: Int, fileDescriptor: Int32 = STDERR_FILENO, interval: Duration = .milliseconds(250)) {
        self.total = total
        self.fd = fileDescriptor
        self.interval = interval
        self.start = clock.now
    }

    /// Notes progress; redraws when `interval` has passed since the last draw.
    /// - Parameters:
    ///   - done: rows settled.
    ///   - errors: rows failed or uncertain so far.
    public func update(done: Int, errors: Int) {
        let now = clock.now
        if let lastDraw, now - lastDraw < interval, done < total { return }
        lastDraw = now
        let elapsed = (now - start).inSeconds
        draw(Self.line(done: done, total: total, elapsed: elapsed, errors: errors))
    }

    /// Ends the line so later output starts on a fresh one.
    public func finish() {
        if drew { _ = POSIX.writeAll(fd, Array("\n".utf8)) }
    }

    /// The progress text for the given counts.
    public static func line(done: Int, total: Int, elapsed: Double, errors: Int) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(done)/\(total)  \(RunSummary.decimal(rate, places: 1))/s"
        if rate > 0, done < total {
            text += "  ETA " + duration(Double(total - done) / rate)
        }
        if errors > 0 {
            text += "  \(errors) error" + (errors == 1 ? "" : "s")
        }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole >= 3600 { return "\(whole / 3600)h\(whole / 60 % 60)m" }
        if whole >= 60 { return "\(whole / 60)m\(whole % 60)s" }
        return "\(whole)s"
    }

    private func draw(_ text: String) {
        drew = true
        _ = POSIX.writeAll(fd, Array(("\r\u{1B}[K" + text).utf8))
    }

    /// Whether `one` and `other` are both terminals, and the same one: then a progress line on
    /// one must be cleared before a line is written to the other, or the two are glued.
    public static func shareTerminal(_ one: Int32, _ other: Int32) -> Bool {
        guard isatty(one) == 1, isatty(other) == 1 else { return false }
        var a = stat()
        var b = stat()
        guard fstat(one, &a) == 0, fstat(other, &b) == 0 else { return false }
        return a.st_rdev == b.st_rdev && a.st_ino == b.st_ino && a.st_dev == b.st_dev
    }
}
