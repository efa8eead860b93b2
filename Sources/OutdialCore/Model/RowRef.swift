/// Where a row came from: the job it belongs to and its place in its file.
public struct RowRef: Sendable, Hashable {
    /// The job id (see job-file.md, "Job id and ClientToken").
    public var job: String
    /// The file path as given on the command line (`-` for standard input).
    public var source: String
    /// 0-based index in the file's contacts.
    public var row: Int
    /// 1-based line where the row starts.
    public var line: Int

    public init(job: String, source: String, row: Int, line: Int) {
        self.job = job
        self.source = source
        self.row = row
        self.line = line
    }
}
