/// Finds the CSV file a job file names (`contacts: {csv: FILE}`) without planning it: the job file is read
/// only as far as its `contacts`. A drop folder uses it to claim a job and its CSV file together.
public enum ContactsFileProbe {
    /// The `csv` path as the job file writes it, or nil for a job whose contacts are a list, or a file
    /// that cannot be read or parsed as far as its `contacts` (planning it will say why).
    public static func csvPath(ofJobFile path: String, limits: ReadLimits = .init()) -> String? {
        var visitor = Visitor()
        do {
            try DocumentReader(path: path, limits: limits).read(into: &visitor)
        } catch {
            // `Visitor.Stop` once `contacts` is found, or a file that cannot be read.
        }
        return visitor.csv
    }

    private struct Visitor: DocumentVisitor {
        struct Stop: Error {}

        var csv: String?

        mutating func begin(root: RootKind, at mark: SourceMark) throws {
            if root != .mapping { throw Stop() }
        }

        mutating func entry(_ entry: Node.Entry) throws {
            guard entry.key == "contacts" else { return }
            if case .mapping(let entries) = entry.value.value,
                let path = entries.first(where: { $0.key == "csv" })?.value.scalarText, !path.isEmpty
            {
                csv = path
            }
            throw Stop()
        }

        mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws { throw Stop() }
        mutating func contact(_ node: Node, index: Int) throws { throw Stop() }
        mutating func end(sha256Hex: String) throws {}
    }
}
