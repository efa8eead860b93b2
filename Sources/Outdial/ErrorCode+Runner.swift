import OutdialCore

extension ErrorCode {
    /// An output path (`-o`, `--summary`) names a job file or results file being read, or the
    /// other output.
    public static let outputConflict = "OutputConflict"
    /// The results or plan output cannot be opened or written.
    public static let outputNotWritable = "OutputNotWritable"
    /// `replay --status` names a status that cannot be replayed.
    public static let statusNotReplayable = "StatusNotReplayable"
    /// The drop folder of `spool` has no `incoming/` directory, or its folders cannot be made.
    public static let spoolFolderUnusable = "SpoolFolderUnusable"
}
