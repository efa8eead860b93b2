/// Where settled result lines go. The executor calls it from one task only, in settling order,
/// so implementations need no lock.
public protocol ResultSink: AnyObject {
    /// Writes one settled line.
    /// - Throws: `RecordingError.outputUnusable` when the line cannot be written.
    func write(_ line: ResultLine) throws(RecordingError)
}
