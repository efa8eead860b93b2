/// A job's `contacts` given as a CSV file instead of a list:
///
/// ```yaml
/// contacts:
///   csv: people.csv            # relative to the job file
///   columns:                   # request field, Attributes.KEY or row option  <-  CSV column
///     DestinationPhoneNumber: phone
///     Attributes.firstName: first_name
///   delimiter: ";"             # "," (the default), ";" or "\t"
/// ```
///
/// Problems with the map itself are reported against the job file, with the key's path
/// (`contacts.columns.Name`).
struct CSVContacts {
    static let keys = ["csv", "columns", "delimiter"]
    static let delimiters: [String: UInt8] = [",": UInt8(ascii: ","), ";": UInt8(ascii: ";"), "\t": 0x09]

    /// One `columns` entry: the target (a request field path) and the CSV column it takes.
    struct Column {
        var target: CSVTarget
        var column: String
        /// Where the entry is in the job file.
        var mark: SourceMark
    }

    /// The CSV file as written in the job file.
    var path: String
    /// Where `csv` is in the job file.
    var pathMark: SourceMark
    /// nil when the header names the fields itself.
    var columns: [Column]?
    var delimiter: UInt8 = UInt8(ascii: ",")

    /// Reads the `contacts` map; nil (with diagnostics added to `header`) when it is wrong.
    init?(_ node: Node, header: inout JobHeader) {
        guard case .mapping(let entries) = node.value else { return nil }
        guard entries.contains(where: { Self.keys.contains($0.key) }) else {
            // Most likely one row written without the list around it.
            header.report(
                ErrorCode.invalidType,
                "contacts",
                "found a map; expected a list of requests, or a map with csv: FILE",
                node.mark
            )
            return nil
        }
        var path: (String, SourceMark)?
        var firstMarks: [String: SourceMark] = [:]
        let before = header.diagnostics.count
        for entry in entries {
            guard header.acceptKey(entry, path: "contacts", known: Self.keys, firstMarks: &firstMarks) else { continue }
            let value = entry.value
            switch entry.key {
            case "csv":
                guard let text = value.scalarText, !value.isNull, !text.isEmpty else {
                    header.report(
                        ErrorCode.invalidType,
                        "contacts.csv",
                        "found \(value.kindDescription); expected the CSV file's path, relative to the job file",
                        value.mark
                    )
                    continue
                }
                path = (text, value.mark)
            case "columns":
                columns = Self.columns(value, header: &header)
            default:
                guard let text = value.scalarText, let byte = Self.delimiters[text] else {
                    let found = value.scalarText.map { quoted($0) } ?? value.kindDescription
                    header.report(
                        ErrorCode.invalidType,
                        "contacts.delimiter",
                        "found \(found); expected \",\", \";\" or \"\\t\"",
                        value.mark
                    )
                    continue
                }
                delimiter = byte
            }
        }
        if path == nil && header.diagnostics.count == before {
            header.report(
                ErrorCode.missingRequiredField,
                "contacts.csv",
                "missing; contacts is either a list of requests or a map with csv: FILE",
                node.mark
            )
        }
        guard let path, header.diagnostics.count == before else { return nil }
        (self.path, pathMark) = path
    }

    private static func columns(_ node: Node, header: inout JobHeader) -> [Column]? {
        guard case .mapping(let entries) = node.value else {
            header.report(
                ErrorCode.invalidType,
                "contacts.columns",
                "found \(node.kindDescription); expected a map of request field <- CSV column name",
                node.mark
            )
            return nil
        }
        var columns: [Column] = []
        for entry in entries {
            let path = "contacts.columns." + entry.key
            guard let column = entry.value.scalarText, !entry.value.isNull, !column.isEmpty else {
                header.report(
                    ErrorCode.invalidType,
                    path,
                    "found \(entry.value.kindDescription); expected the name of a column in the CSV header",
                    entry.value.mark
                )
                continue
            }
            switch CSVTarget.parse(entry.key) {
            case .success(let target):
                columns.append(Column(target: target, column: column, mark: entry.value.mark))
            case .failure(let problem):
                header.report(ErrorCode.unknownField, path, problem.message, entry.keyMark)
            }
        }
        return columns
    }
}

/// Where a CSV column goes in a row: a request field (`Name`), a row option (`timezone`), one attribute
/// (`Attributes.firstName`: everything after the dot is the key), or a member of another map field
/// (`References.doc.Value`, `AnswerMachineDetectionConfig.EnableAnswerMachineDetection`).
struct CSVTarget: Sendable, Hashable {
    /// Map fields, which a column fills one member of.
    static let mapFields: Set<String> = [
        RequestField.attributes.rawValue, RequestField.references.rawValue,
        RequestField.answerMachineDetectionConfig.rawValue, RequestField.outboundStrategy.rawValue,
    ]
    /// The deepest a target may reach (OutboundStrategy's members are 6 levels down).
    static let maxSegments = 8

    struct Problem: Error {
        var message: String
    }

    /// The keys from the row's top down.
    var segments: [String]

    /// Every name a column may take without `columns`, for messages.
    static var knownNames: [String] { RequestValidator.knownRowKeys.filter { !mapFields.contains($0) } }

    static func parse(_ name: String) -> Result<CSVTarget, Problem> {
        let attributes = RequestField.attributes.rawValue + "."
        if name.hasPrefix(attributes) {
            let key = String(name.dropFirst(attributes.count))
            guard !key.isEmpty else { return .failure(Problem(message: "found \(quoted(name)); name the attribute")) }
            return .success(CSVTarget(segments: [RequestField.attributes.rawValue, key]))
        }
        let segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let field = segments.first, RequestValidator.knownRowKeys.contains(field) else {
            var message =
                "unknown field \(quoted(name)); expected a request field, Attributes.KEY or timezone"
            if let nearest = FieldSuggestion.nearest(to: name, in: knownNames + ["Attributes.\(name)"]) {
                message += "; did you mean \(nearest)?"
            }
            return .failure(Problem(message: message))
        }
        if mapFields.contains(field) {
            guard segments.count > 1, segments.count <= maxSegments, !segments.contains(where: \.isEmpty) else {
                return .failure(
                    Problem(message: "\(field) is a map; name one member of it, like \(field).KEY")
                )
            }
        } else if segments.count > 1 {
            return .failure(Problem(message: "\(field) takes one value; found \(quoted(name))"))
        }
        return .success(CSVTarget(segments: segments))
    }
}

/// The CSV header read against the job's `columns` (or read as field names): which column fills what.
/// Builds each CSV record into a row node whose marks point into the CSV file, so the row goes through
/// the same merging, validation, dedupe and planning as a row written in YAML.
struct CSVColumnMap {
    /// (cell index, target), in header order.
    private(set) var plan: [(index: Int, target: CSVTarget)] = []

    /// - Parameters:
    ///   - header: the CSV's first record.
    ///   - contacts: the job's `contacts` settings.
    ///   - file: the CSV file's name, for diagnostics.
    ///   - jobFile: the job file's name, for messages that point back at `columns`.
    ///   - diagnostics: problems are added here; the map is unusable when any was added.
    init(
        header: CSVRecord,
        contacts: CSVContacts,
        file: String,
        jobFile: String,
        diagnostics: inout [Diagnostic]
    ) {
        var seen: [String: SourceMark] = [:]
        var twice: [String: SourceMark] = [:]
        for cell in header.cells {
            if let first = seen[cell.text] {
                if twice[cell.text] == nil { twice[cell.text] = first }
            } else {
                seen[cell.text] = cell.mark
            }
        }
        let names = header.cells.map(\.text)
        guard let columns = contacts.columns else {
            for (index, cell) in header.cells.enumerated() {
                func report(_ message: String) {
                    diagnostics.append(
                        Diagnostic(
                            code: ErrorCode.unknownColumn,
                            field: "",
                            message: message,
                            file: file,
                            mark: cell.mark
                        )
                    )
                }
                if let first = twice[cell.text], first != cell.mark {
                    report("the column \(quoted(cell.text)) is named twice in the header (first at \(first))")
                    continue
                }
                if cell.text.isEmpty {
                    report(
                        "a header cell is empty; name every column, or map the columns you need with "
                            + "contacts.columns in \(jobFile)"
                    )
                    continue
                }
                switch CSVTarget.parse(cell.text) {
                case .success(let target):
                    plan.append((index, target))
                case .failure(let problem):
                    report(
                        "column \(quoted(cell.text)): \(problem.message) "
                            + "(or map columns to fields with contacts.columns in \(jobFile))"
                    )
                }
            }
            return
        }
        for column in columns {
            let location = "\(jobFile):\(column.mark)"
            if let first = twice[column.column] {
                diagnostics.append(
                    Diagnostic(
                        code: ErrorCode.unknownColumn,
                        field: "",
                        message: "the column \(quoted(column.column)), named for \(column.target.name) at \(location), "
                            + "is in the header twice (first at \(first)); rename one of them",
                        file: file,
                        mark: seen[column.column] ?? first
                    )
                )
                continue
            }
            guard let index = names.firstIndex(of: column.column) else {
                var message =
                    "the header has no column \(quoted(column.column)), named for \(column.target.name) at \(location); "
                    + "its columns are \(Self.list(names))"
                if let nearest = FieldSuggestion.nearest(to: column.column, in: names.filter { !$0.isEmpty }) {
                    message += "; did you mean \(quoted(nearest))?"
                }
                diagnostics.append(
                    Diagnostic(
                        code: ErrorCode.missingColumn,
                        field: "",
                        message: message,
                        file: file,
                        mark: SourceMark(line: header.line, column: 1)
                    )
                )
                continue
            }
            plan.append((index, column.target))
        }
        plan.sort { $0.index < $1.index }
    }

    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(12).map { quoted($0, limit: 30) }.joined(separator: ", ")
        return names.count > 12 ? shown + ", …" : shown
    }

    /// The row a record holds, as a map node: its line is the record's, each value's mark its cell's.
    /// An empty cell is a field not given (the defaults' value, if any, stands).
    func row(_ record: CSVRecord) -> Node {
        var entries: [Node.Entry] = []
        entries.reserveCapacity(plan.count)
        for (index, target) in plan {
            guard index < record.cells.count else { continue }
            let cell = record.cells[index]
            if cell.text.isEmpty { continue }
            let value = Node(.scalar(cell.text, Self.style(of: cell.text)), at: cell.mark)
            Self.insert(value, path: target.segments[...], into: &entries)
        }
        return Node(.mapping(entries), at: SourceMark(line: record.line, column: 1))
    }

    /// A cell is text as written: plain, so that numbers and booleans read as YAML's plain scalars do,
    /// except for the words a plain scalar would take as null.
    private static func style(of text: String) -> ScalarStyle {
        Node(.scalar(text, .plain), at: SourceMark(line: 0, column: 0)).isNull ? .doubleQuoted : .plain
    }

    /// Puts `value` at `path` (at most `CSVTarget.maxSegments` keys deep), creating maps on the way.
    private static func insert(_ value: Node, path: ArraySlice<String>, into entries: inout [Node.Entry]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            entries.append(Node.Entry(key: key, keyMark: value.mark, value: value))
            return
        }
        if let at = entries.lastIndex(where: { $0.key == key }), case .mapping(var inner) = entries[at].value.value {
            entries[at].value.value = .mapping([])
            insert(value, path: path.dropFirst(), into: &inner)
            entries[at].value.value = .mapping(inner)
            return
        }
        var inner: [Node.Entry] = []
        insert(value, path: path.dropFirst(), into: &inner)
        entries.append(Node.Entry(key: key, keyMark: value.mark, value: Node(.mapping(inner), at: value.mark)))
    }
}

extension CSVTarget {
    /// As written in `columns`: `Name`, `Attributes.firstName`.
    var name: String { segments.joined(separator: ".") }
}

extension CSVContacts {
    /// Where the CSV file is: `path` as written when absolute, else relative to the job file's folder
    /// (the current folder for standard input).
    /// - Returns: the path to open, its bytes when the job file's folder is not UTF-8, and its name for
    ///   results and messages (relative to the job file's name as given).
    func location(jobPath: String, jobSource: String, jobRawPath: [UInt8]?) -> (
        path: String, rawPath: [UInt8]?, name: String
    ) {
        if path.hasPrefix("/") || jobPath == "-" { return (path, nil, path) }
        func folder(_ of: String) -> String {
            guard let slash = of.lastIndex(of: "/") else { return "" }
            return String(of[...slash])
        }
        var rawPath: [UInt8]?
        if let jobRawPath, let slash = jobRawPath.lastIndex(of: UInt8(ascii: "/")) {
            rawPath = Array(jobRawPath[...slash]) + Array(path.utf8)
        }
        return (folder(jobPath) + path, rawPath, folder(jobSource) + path)
    }
}
