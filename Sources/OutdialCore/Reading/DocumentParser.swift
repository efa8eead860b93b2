import CYaml

/// Pulls libyaml events for one document and builds nodes from them, with explicit stacks (never recursion)
/// and the bounds of `ReadLimits`. `read(into:)` streams the top-level `contacts` items to a visitor;
/// `parseWhole()` builds the whole document.
final class DocumentParser {
    /// A built node with the figures the limits need.
    struct Built {
        var node: Node
        /// Nodes in the subtree, counting what aliases brought in.
        var size: Int
        /// Levels of collections in the subtree (0 for a scalar).
        var height: Int
    }

    private struct Merge {
        var position: Int
        var sources: [[Node.Entry]]
    }

    /// A collection being built.
    private struct Frame {
        var isMapping: Bool
        var mark: SourceMark
        var anchor: String?
        var entries: [Node.Entry] = []
        var items: [Node] = []
        var awaitingKey = true
        var key = ""
        var keyMark = SourceMark(line: 0, column: 0)
        var keyIsMerge = false
        var merges: [Merge] = []
        var size = 1
        var height = 1
    }

    private let source: InputSource
    private let name: String
    private let limits: ReadLimits
    private let parser: YAMLParser
    private let event = YAMLEvent()
    private var anchors: [String: Built] = [:]
    /// Anchors set on streamed collections, which are never kept whole and so cannot be referred to.
    private var streamedAnchors: Set<String> = []
    private var eventCount = 0
    private var aliasNodes = 0
    /// The frames of `buildCollection`, kept between calls so that each row does not allocate them.
    private var spareFrames: [Frame] = []

    init(source: InputSource, limits: ReadLimits) throws {
        guard let parser = YAMLParser(input: source) else {
            throw ReadError(.parseError, "cannot start the YAML parser (out of memory)", file: source.name, mark: nil)
        }
        self.source = source
        self.name = source.name
        self.limits = limits
        self.parser = parser
    }

    // MARK: Documents

    func read<V: DocumentVisitor>(into visitor: inout V) throws {
        try startDocument()
        let rootMark = currentMark
        switch event.type {
        case YAML_MAPPING_START_EVENT:
            noteStreamedAnchor(event.raw.pointee.data.mapping_start.anchor)
            try visitor.begin(root: .mapping, at: rootMark)
            try readTopMapping(into: &visitor)
        case YAML_SEQUENCE_START_EVENT:
            noteStreamedAnchor(event.raw.pointee.data.sequence_start.anchor)
            try visitor.begin(root: .sequence, at: rootMark)
            var index = 0
            while true {
                try next()
                if event.type == YAML_SEQUENCE_END_EVENT { break }
                try visitor.contact(try buildValue(depth: 2).node, index: index)
                index += 1
            }
        default:
            _ = try buildValue(depth: 1)
            try visitor.begin(root: .scalar, at: rootMark)
        }
        try finishDocument()
        try visitor.end(sha256Hex: source.sha256Hex())
    }

    func parseWhole() throws -> Node {
        try startDocument()
        let node = try buildValue(depth: 1).node
        try finishDocument()
        return node
    }

    /// Reads up to the root node's first event.
    private func startDocument() throws {
        try next()  // stream start
        try next()
        if event.type == YAML_STREAM_END_EVENT {
            let message: String
            if source.bytesRead == 0 {
                message = "the file is empty"
            } else if source.format == .json {
                message = "the file holds no JSON value, only blank space"
            } else {
                message = "the file holds no YAML document, only comments and blank lines"
            }
            throw ReadError(.emptyFile, message, file: name, mark: nil)
        }
        try next()
    }

    private func finishDocument() throws {
        try next()  // document end
        try next()
        if event.type == YAML_DOCUMENT_START_EVENT {
            throw ReadError(
                .multipleDocuments,
                "the file holds more than one document; put one job in each file",
                file: name,
                mark: currentMark
            )
        }
    }

    // MARK: The top-level map

    private func readTopMapping<V: DocumentVisitor>(into visitor: inout V) throws {
        var seen: [String: SourceMark] = [:]
        var mergeSources: [[Node.Entry]] = []
        while true {
            try next()
            if event.type == YAML_MAPPING_END_EVENT { break }
            let (key, keyMark, isMerge) = try readKey(depth: 1)
            try next()
            if isMerge {
                let value = try buildValue(depth: 2)
                mergeSources.append(contentsOf: try mergeMaps(of: value.node))
                continue
            }
            if let first = seen[key] {
                throw ReadError(
                    .duplicateKey,
                    "duplicate key '\(key)' (first given at \(first))",
                    file: name,
                    mark: keyMark
                )
            }
            seen[key] = keyMark
            if key == "contacts" && event.type == YAML_SEQUENCE_START_EVENT {
                noteStreamedAnchor(event.raw.pointee.data.sequence_start.anchor)
                try visitor.beginContacts(keyMark: keyMark, at: currentMark)
                var index = 0
                while true {
                    try next()
                    if event.type == YAML_SEQUENCE_END_EVENT { break }
                    try visitor.contact(try buildValue(depth: 3).node, index: index)
                    index += 1
                }
                continue
            }
            try deliver(Node.Entry(key: key, keyMark: keyMark, value: try buildValue(depth: 2).node), to: &visitor)
        }
        // Merged entries come last; keys given in the map itself win, then earlier merged maps.
        var taken: Set<String> = []
        for entries in mergeSources {
            var added: [String] = []
            for entry in entries where seen[entry.key] == nil && !taken.contains(entry.key) {
                try deliver(entry, to: &visitor)
                added.append(entry.key)
            }
            taken.formUnion(added)
        }
    }

    private func deliver<V: DocumentVisitor>(_ entry: Node.Entry, to visitor: inout V) throws {
        guard entry.key == "contacts", case .sequence(let items) = entry.value.value else {
            try visitor.entry(entry)
            return
        }
        try visitor.beginContacts(keyMark: entry.keyMark, at: entry.value.mark)
        for (index, item) in items.enumerated() { try visitor.contact(item, index: index) }
    }

    // MARK: Nodes

    /// Builds the node that starts at the current event. `depth` is the level a collection here would have.
    func buildValue(depth: Int) throws -> Built {
        switch event.type {
        case YAML_SCALAR_EVENT:
            return Built(node: try scalarNode(), size: 1, height: 0)
        case YAML_ALIAS_EVENT:
            return try aliasNode(depth: depth)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            return try buildCollection(depth: depth)
        default:
            throw ReadError(.parseError, "unexpected YAML event", file: name, mark: currentMark)
        }
    }

    private func buildCollection(depth: Int) throws -> Built {
        var stack: [Frame] = []
        swap(&stack, &spareFrames)
        defer {
            stack.removeAll(keepingCapacity: true)
            swap(&stack, &spareFrames)
        }
        stack.reserveCapacity(8)
        try push(onto: &stack, depth: depth)
        while true {
            try next()
            let type = event.type
            let top = stack.count - 1
            let built: Built
            if stack[top].isMapping && stack[top].awaitingKey && type != YAML_MAPPING_END_EVENT {
                let (key, keyMark, isMerge) = try readKey(depth: depth + top)
                stack[top].key = key
                stack[top].keyMark = keyMark
                stack[top].keyIsMerge = isMerge
                stack[top].awaitingKey = false
                continue
            }
            switch type {
            case YAML_SCALAR_EVENT:
                built = Built(node: try scalarNode(), size: 1, height: 0)
            case YAML_ALIAS_EVENT:
                built = try aliasNode(depth: depth + stack.count)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                try push(onto: &stack, depth: depth + stack.count)
                continue
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                built = finish(stack.removeLast())
                if stack.isEmpty { return built }
            default:
                throw ReadError(.parseError, "unexpected YAML event", file: name, mark: currentMark)
            }
            try attach(built, to: &stack[stack.count - 1])
        }
    }

    private func push(onto stack: inout [Frame], depth: Int) throws {
        let mark = currentMark
        guard depth <= limits.maxDepth else {
            throw ReadError(
                .tooDeep,
                "maps and lists are nested deeper than \(limits.maxDepth) levels",
                file: name,
                mark: mark
            )
        }
        let isMapping = event.type == YAML_MAPPING_START_EVENT
        let anchor =
            isMapping ? event.raw.pointee.data.mapping_start.anchor : event.raw.pointee.data.sequence_start.anchor
        // Built in place: a frame copied into the stack costs a copy of each of its fields.
        stack.append(Frame(isMapping: isMapping, mark: mark, anchor: anchor.map { String(cString: $0) }))
        // Rows are small maps: one allocation holds most of them.
        if isMapping { stack[stack.count - 1].entries.reserveCapacity(4) }
    }

    private func attach(_ built: consuming Built, to frame: inout Frame) throws {
        frame.size += built.size
        frame.height = max(frame.height, built.height + 1)
        guard frame.isMapping else {
            frame.items.append(built.node)
            return
        }
        frame.awaitingKey = true
        if frame.keyIsMerge {
            frame.merges.append(Merge(position: frame.entries.count, sources: try mergeMaps(of: built.node)))
        } else {
            frame.entries.append(Node.Entry(key: frame.key, keyMark: frame.keyMark, value: built.node))
        }
    }

    private func finish(_ frame: consuming Frame) -> Built {
        let node: Node
        if !frame.isMapping {
            node = Node(.sequence(frame.items), at: frame.mark)
        } else if frame.merges.isEmpty {
            node = Node(.mapping(frame.entries), at: frame.mark)
        } else {
            node = Node(.mapping(Self.merged(frame.entries, frame.merges)), at: frame.mark)
        }
        let built = Built(node: node, size: frame.size, height: frame.height)
        if let anchor = frame.anchor { anchors[anchor] = built }
        return built
    }

    /// Entries of a map with merge keys: merged entries go where their `<<` stood; the map's own keys win,
    /// then earlier merged maps over later ones.
    private static func merged(_ entries: [Node.Entry], _ merges: [Merge]) -> [Node.Entry] {
        let own = Set(entries.map(\.key))
        var taken: Set<String> = []
        var result: [Node.Entry] = []
        result.reserveCapacity(entries.count)
        var next = 0
        for index in 0 ... entries.count {
            while next < merges.count && merges[next].position == index {
                for source in merges[next].sources {
                    var added: [String] = []
                    for entry in source where !own.contains(entry.key) && !taken.contains(entry.key) {
                        result.append(entry)
                        added.append(entry.key)
                    }
                    taken.formUnion(added)
                }
                next += 1
            }
            if index < entries.count { result.append(entries[index]) }
        }
        return result
    }

    /// The maps a merge key's value names: one map, or a list of maps.
    private func mergeMaps(of node: Node) throws -> [[Node.Entry]] {
        switch node.value {
        case .mapping(let entries):
            return [entries]
        case .sequence(let items):
            var maps: [[Node.Entry]] = []
            for item in items {
                guard case .mapping(let entries) = item.value else {
                    throw ReadError(
                        .invalidMerge,
                        "the merge key '<<' takes a map or a list of maps; this list holds \(item.kindDescription)",
                        file: name,
                        mark: item.mark
                    )
                }
                maps.append(entries)
            }
            return maps
        case .scalar:
            throw ReadError(
                .invalidMerge,
                "the merge key '<<' takes a map or a list of maps, not \(node.kindDescription)",
                file: name,
                mark: node.mark
            )
        }
    }

    /// A map key at the current event: a scalar, or an alias of one.
    private func readKey(depth: Int) throws -> (String, SourceMark, Bool) {
        switch event.type {
        case YAML_SCALAR_EVENT:
            if let known = knownLongKey() { return (known, currentMark, false) }
            let node = try scalarNode()
            guard case .scalar(let text, let style) = node.value else { return ("", node.mark, false) }
            return (text, node.mark, style == .plain && text.utf8.count == 2 && text == "<<")
        case YAML_ALIAS_EVENT:
            let built = try aliasNode(depth: depth + 1)
            if case .scalar(let text, _) = built.node.value { return (text, currentMark, false) }
            throw ReadError(
                .nonScalarKey,
                "a map key must be a scalar, not \(built.node.kindDescription)",
                file: name,
                mark: currentMark
            )
        default:
            let kind = event.type == YAML_MAPPING_START_EVENT ? "a map" : "a list"
            throw ReadError(.nonScalarKey, "a map key must be a scalar, not \(kind)", file: name, mark: currentMark)
        }
    }

    /// Request field names too long for a small `String` (more than 15 bytes), which every row may repeat.
    private static let longKeys: [String] = [
        "DestinationPhoneNumber", "SourcePhoneNumber", "RelatedContactId", "OutboundStrategy", "RingTimeoutInSeconds",
        "AnswerMachineDetectionConfig", "EnableAnswerMachineDetection", "AwaitAnswerMachinePrompt",
    ]

    /// The key at the current scalar event when it is one of `longKeys` (and carries no anchor): the shared
    /// text, so that a row's key is not allocated again for every row.
    @inline(__always)
    private func knownLongKey() -> String? {
        let scalar = event.raw.pointee.data.scalar
        guard scalar.length > 15, scalar.length <= min(28, limits.maxScalarBytes), scalar.anchor == nil,
            let value = scalar.value
        else {
            return nil
        }
        let bytes = UnsafeBufferPointer(start: value, count: scalar.length)
        for key in Self.longKeys where key.utf8.count == bytes.count {
            if key.utf8.withContiguousStorageIfAvailable({ $0.elementsEqual(bytes) }) == true { return key }
        }
        return nil
    }

    @inline(__always)
    private func scalarNode() throws -> Node {
        let scalar = event.raw.pointee.data.scalar
        guard scalar.length <= limits.maxScalarBytes else {
            throw ReadError(
                .tooLarge,
                "a scalar of \(scalar.length) bytes is longer than the limit of \(limits.maxScalarBytes) bytes",
                file: name,
                mark: currentMark
            )
        }
        let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        let style: ScalarStyle
        switch scalar.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: style = .literal
        case YAML_FOLDED_SCALAR_STYLE: style = .folded
        default: style = .plain
        }
        let node = Node(.scalar(text, style), at: currentMark)
        if let anchor = scalar.anchor { anchors[String(cString: anchor)] = Built(node: node, size: 1, height: 0) }
        return node
    }

    private func aliasNode(depth: Int) throws -> Built {
        let mark = currentMark
        let anchor = event.raw.pointee.data.alias.anchor.map { String(cString: $0) } ?? ""
        guard let built = anchors[anchor] else {
            let message =
                streamedAnchors.contains(anchor)
                ? "the alias '*\(anchor)' refers to the contacts list or the document root, which are read as a stream and cannot be repeated"
                : "the alias '*\(anchor)' refers to no anchor defined before it"
            throw ReadError(.undefinedAlias, message, file: name, mark: mark)
        }
        aliasNodes += built.size
        let bound = max(limits.maxAliasNodes, limits.aliasNodesPerEvent * eventCount)
        guard aliasNodes <= bound else {
            throw ReadError(
                .aliasLimit,
                "aliases expand to more than \(bound) nodes; the file is refused as an alias bomb",
                file: name,
                mark: mark
            )
        }
        guard depth + built.height - 1 <= limits.maxDepth else {
            throw ReadError(
                .tooDeep,
                "the alias '*\(anchor)' nests maps and lists deeper than \(limits.maxDepth) levels",
                file: name,
                mark: mark
            )
        }
        return built
    }

    private func noteStreamedAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?) {
        if let anchor { streamedAnchors.insert(String(cString: anchor)) }
    }

    // MARK: Events

    @inline(__always)
    private var currentMark: SourceMark { source.mark(event.raw.pointee.start_mark) }

    @inline(__always)
    private func next() throws {
        guard parser.parse(into: event) else { throw parserError() }
        eventCount &+= 1
    }

    private func parserError() -> ReadError {
        if let problem = source.problem { return problem }
        let raw = parser.raw.pointee
        let problem = raw.problem.map { String(cString: $0) } ?? "unknown problem"
        switch raw.error {
        case YAML_MEMORY_ERROR:
            return ReadError(.parseError, "out of memory while parsing", file: name, mark: nil)
        case YAML_READER_ERROR:
            let mark = source.mark(atOriginalOffset: Int(raw.problem_offset) + source.skippedAtStart)
            let value = raw.problem_value
            let found: CharacterProblem
            switch problem {
            case "invalid leading UTF-8 octet": found = .invalidLeadingByte(UInt8(truncatingIfNeeded: value))
            case "invalid trailing UTF-8 octet": found = .invalidContinuationByte(UInt8(truncatingIfNeeded: value))
            case "incomplete UTF-8 octet sequence": found = .truncatedSequence
            case "invalid length of a UTF-8 sequence": found = .overlongEncoding
            case "invalid Unicode character": found = .notAScalarValue(UInt32(truncatingIfNeeded: value))
            case "control characters are not allowed": found = .disallowedCharacter(UInt32(truncatingIfNeeded: value))
            default: return ReadError(.parseError, problem, file: name, mark: mark)
            }
            return ReadError(found.code, found.message, file: name, mark: mark)
        default:
            let mark = source.mark(raw.problem_mark)
            var message = problem
            if let context = raw.context.map({ String(cString: $0) }) {
                message += " " + context
                let contextMark = source.mark(raw.context_mark)
                if contextMark != mark { message += " that started at \(contextMark)" }
            }
            return ReadError(.parseError, message, file: name, mark: mark)
        }
    }
}
