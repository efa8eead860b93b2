import Outdial

/// `JOB` arguments as the runner takes them: files, directories expanded, `-` copied from
/// standard input. The one place that knows how arguments are expanded.
struct JobArguments {
    let list: JobList
    private let expansion: JobInputs

    init(_ arguments: [String]) {
        expansion = JobInputs(arguments: arguments)
        list = JobList(inputs: expansion.inputs, failures: expansion.failures)
    }

    /// Removes the copies of standard input.
    func cleanUp() {
        expansion.removeTemporaryFiles()
    }
}
