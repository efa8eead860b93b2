import OutdialCore

/// The job files of one invocation, as `JOB` arguments expand: the files to plan in order, and
/// the arguments that name nothing readable.
public struct JobList: Sendable {
    /// The files, in order.
    public var inputs: [JobInput]
    /// Arguments that name nothing readable (each reported as a file that cannot be planned).
    public var failures: [JobFileError]

    public init(inputs: [JobInput], failures: [JobFileError] = []) {
        self.inputs = inputs
        self.failures = failures
    }

    /// Job files by path, as given (no directory expansion).
    public init(paths: [String]) {
        self.init(inputs: paths.map { JobInput(path: $0) })
    }
}
