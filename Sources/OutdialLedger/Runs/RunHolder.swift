import OutdialBase
import Synchronization

/// Who holds a job: this process, told apart from a later process that reuses its pid by the
/// kernel's record of when the process started.
struct RunHolder: Sendable, Hashable {
    var host: String
    var pid: Int
    var processStart: String
    /// Unique per run (two runs in one process hold different jobs with different holders).
    var token: String

    /// Runs begun in this process, on any connection (each gets its own holder token).
    private static let runs = Atomic<Int>(0)

    /// The number of the next run of this process.
    static func nextRun() -> Int {
        runs.add(1, ordering: .relaxed).newValue
    }

    /// This process.
    static func current(run: Int) -> RunHolder {
        let pid = Int(getpid())
        let host = hostName()
        let start = startTime(of: pid) ?? ""
        return RunHolder(host: host, pid: pid, processStart: start, token: "\(host):\(pid):\(start):\(run)")
    }

    /// Whether the process recorded as a job's holder is still running. A holder on another host
    /// is taken to be running (a shared store answers that with its lease, not here).
    static func isRunning(host: String, pid: Int, processStart: String) -> Bool {
        guard host == hostName() else { return true }
        guard pid > 0, let pid = pid_t(exactly: pid) else { return false }
        if kill(pid, 0) != 0, errno == ESRCH { return false }
        guard let start = startTime(of: Int(pid)) else { return true }
        return processStart.isEmpty || start == processStart
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Field 22 of `/proc/PID/stat`: when the process started, in clock ticks since boot.
    static func startTime(of pid: Int) -> String? {
        let fd = POSIX.open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { POSIX.close(fd) }
        let read = POSIX.readAll(fd, limit: 4096)
        guard read.error == nil else { return nil }
        let bytes = read.bytes
        // The command name (field 2) is in parentheses and may hold spaces: count after its end.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        // Fields after the name start at field 3; field 22 is the 20th of them.
        guard fields.count >= 20 else { return nil }
        return String(decoding: fields[19], as: UTF8.self)
    }
}
