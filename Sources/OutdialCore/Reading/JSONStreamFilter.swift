/// Rewrites a JSON byte stream, chunk by chunk, into YAML that libyaml reads to the same values.
///
/// libyaml refuses some valid JSON. Inside strings: a surrogate-pair escape `\uD83D\uDE00` becomes the YAML
/// escape `\U0001F600`; a lone surrogate escape becomes `\uFFFD` (as Swift decodes it); raw characters libyaml
/// does not accept or reads as line breaks (U+007F–U+009F, U+2028, U+2029, U+FFFE, U+FFFF) become `\uXXXX`
/// escapes. Outside strings, tabs become spaces. UTF-8 is validated here, so every problem carries its offset in
/// the original bytes. Rewrites that change a line's length in characters are recorded in `corrections`, so
/// that libyaml's columns map back to the file's own.
final class JSONStreamFilter {
    private static let lookahead = 12
    private let input: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 16
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var atFileStart = true
    /// Original offset of `input[0]`.
    private var base = 0
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var inString = false
    private var afterCR = false
    /// Position of the next output character, 0-based, as libyaml will count it.
    private var line = 0
    private var column = 0
    private(set) var problem: (CharacterProblem, offset: Int)?
    var corrections = ColumnCorrections()
    /// Whether the input must be strict JSON (checked in this same pass).
    private let strict: Bool
    private var syntax = JSONSyntaxCheck()
    private var finished = false
    /// Original column minus filtered column on the current line (rewrites change lengths).
    private var columnShift = 0
    /// Why the input is not strict JSON, with its 0-based original position.
    var syntaxProblem: JSONSyntaxCheck.Problem? { syntax.problem }

    init(strict: Bool = false) {
        self.strict = strict
        input = .allocate(capacity: capacity)
    }

    deinit {
        input.deallocate()
    }

    /// Fills `output` with up to `capacity` filtered bytes. Returns the count (0 at the end) or -1.
    func fill(_ output: UnsafeMutablePointer<UInt8>, capacity outputCapacity: Int, from source: InputSource) -> Int {
        var count = 0
        while count < outputCapacity {
            if pendingStart < pending.count {
                let n = min(outputCapacity - count, pending.count - pendingStart)
                for i in 0 ..< n { output[count + i] = pending[pendingStart + i] }
                count += n
                pendingStart += n
                if pendingStart == pending.count {
                    pending.removeAll(keepingCapacity: true)
                    pendingStart = 0
                }
                continue
            }
            if end - start <= Self.lookahead && !atEnd {
                guard refill(from: source) else { return -1 }
                if atFileStart {
                    atFileStart = false
                    if end - start >= 3 && input[start] == 0xEF && input[start + 1] == 0xBB && input[start + 2] == 0xBF
                    {
                        start += 3
                    }
                    continue
                }
            }
            if start == end {
                if strict && atEnd && !finished {
                    finished = true
                    guard syntax.finish(line: line, column: column + columnShift) else { return -1 }
                }
                break
            }
            // Hot loop on locals: printable ASCII, quotes, line feeds and two-byte characters.
            let limit = atEnd ? end : end - Self.lookahead
            var index = start
            var col = column
            var quoted = inString
            var crBefore = afterCR
            var lines = line
            var syntaxFailed = false
            // The check runs on a local: a class property would pay an exclusivity check per call.
            var check = JSONSyntaxCheck()
            if strict { swap(&check, &syntax) }
            while index < limit && count < outputCapacity {
                let byte = input[index]
                if byte >= 0x20 && byte < 0x7F && byte != 0x5C {
                    if strict && (byte == 0x22 || !quoted)
                        && !check.accept(byte, inString: quoted, line: lines, column: col + columnShift)
                    {
                        syntaxFailed = true
                        break
                    }
                    if byte == 0x22 { quoted.toggle() }
                    output[count] = byte
                    count += 1
                    index += 1
                    col += 1
                    crBefore = false
                } else if byte == 0x0A {
                    if strict && !quoted
                        && !check.accept(byte, inString: false, line: lines, column: col + columnShift)
                    {
                        syntaxFailed = true
                        break
                    }
                    columnShift = 0
                    output[count] = byte
                    count += 1
                    index += 1
                    if !crBefore { lines += 1 }
                    col = 0
                    crBefore = false
                } else if byte == 0x09 {
                    if strict && !quoted
                        && !check.accept(byte, inString: false, line: lines, column: col + columnShift)
                    {
                        syntaxFailed = true
                        break
                    }
                    output[count] = quoted ? 0x09 : 0x20
                    count += 1
                    index += 1
                    col += 1
                    crBefore = false
                } else if byte >= 0xC2 && byte <= 0xDF && (quoted || !strict) && index + 1 < end
                    && count + 1 < outputCapacity
                    && input[index + 1] & 0xC0 == 0x80 && (byte > 0xC2 || input[index + 1] >= 0xA0)
                {
                    output[count] = byte
                    output[count + 1] = input[index + 1]
                    count += 2
                    index += 2
                    col += 1
                    crBefore = false
                } else {
                    break
                }
            }
            if strict { swap(&check, &syntax) }
            start = index
            column = col
            inString = quoted
            afterCR = crBefore
            line = lines
            if syntaxFailed { return -1 }
            if count == outputCapacity || start == end || (start >= limit && !atEnd) { continue }
            let byte = input[start]
            guard step(byte) else { return -1 }
            // `step` queued its bytes in `pending`.
        }
        return count
    }

    /// Handles one character that is not on the fast path, queueing its output.
    private func step(_ byte: UInt8) -> Bool {
        let wasAfterCR = afterCR
        afterCR = false
        if strict && (byte == 0x22 || (!inString && ((byte >= 0x20 && byte < 0x7F) || byte == 0x09 || byte == 0x0D)))
            && !syntax.accept(byte, inString: inString, line: line, column: column + columnShift)
        {
            return false
        }
        switch byte {
        case 0x22:
            inString.toggle()
            put(byte)
        case 0x5C:
            if inString { return escape() } else { put(byte) }
        case 0x0A:
            put(byte)
            if !wasAfterCR { line += 1 }
            column = 0
            columnShift = 0
        case 0x0D:
            put(byte)
            line += 1
            column = 0
            columnShift = 0
            afterCR = true
        case 0x09:
            put(inString ? 0x09 : 0x20)
        case 0x00 ..< 0x80:
            guard inString && byte == 0x7F else { return fail(.disallowedCharacter(UInt32(byte))) }
            rewrite(UInt32(byte), originalLength: 1)
        default:
            return multibyte(byte)
        }
        return true
    }

    /// Validates one UTF-8 sequence as libyaml's reader does, then passes or rewrites it.
    private func multibyte(_ lead: UInt8) -> Bool {
        if strict && !inString {
            return syntax.accept(lead, inString: false, line: line, column: column + columnShift)
        }
        let width = lead & 0xE0 == 0xC0 ? 2 : lead & 0xF0 == 0xE0 ? 3 : lead & 0xF8 == 0xF0 ? 4 : 0
        guard width > 0 else { return fail(.invalidLeadingByte(lead)) }
        var value = UInt32(lead & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07))
        for k in 1 ..< width {
            guard start + k < end else { return fail(.truncatedSequence) }
            let byte = input[start + k]
            guard byte & 0xC0 == 0x80 else { return fail(.invalidContinuationByte(byte)) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard (width == 2 && value >= 0x80) || (width == 3 && value >= 0x800) || (width == 4 && value >= 0x10000)
        else { return fail(.overlongEncoding) }
        guard !(0xD800 ... 0xDFFF).contains(value) && value <= 0x10FFFF else { return fail(.notAScalarValue(value)) }
        let isBreak = value == 0x85 || value == 0x2028 || value == 0x2029
        if !CharacterProblem.isAllowed(value) || (inString && isBreak) {
            guard inString else { return fail(.disallowedCharacter(value)) }
            rewrite(value, originalLength: width)
            return true
        }
        for k in 0 ..< width { pending.append(input[start + k]) }
        start += width
        if isBreak {
            line += 1
            column = 0
        } else {
            column += 1
        }
        return true
    }

    /// A backslash inside a string: rewrites surrogate escapes, passes every other escape through (in
    /// strict mode, only JSON's escapes). False when strict JSON refuses the escape.
    private func escape() -> Bool {
        let available = end - start
        guard available >= 2 else {
            put(0x5C)
            return true
        }
        let next = input[start + 1]
        if strict && !Self.jsonEscapes.contains(next) {
            let shown = next >= 0x21 && next < 0x7F ? "'\\\(Character(Unicode.Scalar(next)))'" : "a backslash"
            return syntax.fail(
                "found the escape \(shown); JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                line: line,
                column: column + columnShift
            )
        }
        if next == UInt8(ascii: "u"), available >= 6, let high = hex4(at: start + 2), (0xD800 ... 0xDFFF).contains(high)
        {
            if high < 0xDC00, available >= 12, input[start + 6] == 0x5C, input[start + 7] == UInt8(ascii: "u"),
                let low = hex4(at: start + 8), (0xDC00 ... 0xDFFF).contains(low)
            {
                let scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                pending.append(contentsOf: Array("\\U\(hexDigits(scalar, count: 8))".utf8))
                start += 12
                column += 10
                columnShift += 2
                corrections.add(line: line, column: column, delta: 2)
            } else {
                pending.append(contentsOf: Array("\\uFFFD".utf8))
                start += 6
                column += 6
            }
            return true
        }
        put(0x5C)
        if next >= 0x20 && next < 0x7F { put(next) }
        return true
    }

    /// The characters JSON allows after a backslash.
    private static let jsonEscapes: Set<UInt8> = Set("\"\\/bfnrtu".utf8)

    /// Replaces one raw character (`originalLength` bytes) by a `\uXXXX` escape.
    private func rewrite(_ value: UInt32, originalLength: Int) {
        pending.append(contentsOf: Array("\\u\(hexDigits(value, count: 4))".utf8))
        start += originalLength
        column += 6
        columnShift -= 5
        corrections.add(line: line, column: column, delta: -5)
    }

    @inline(__always)
    private func put(_ byte: UInt8) {
        pending.append(byte)
        start += 1
        column += 1
    }

    private func hex4(at offset: Int) -> UInt32? {
        var value: UInt32 = 0
        for k in 0 ..< 4 {
            let byte = input[offset + k]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func fail(_ found: CharacterProblem) -> Bool {
        problem = (found, base + start)
        return false
    }

    /// Moves unread bytes to the front and reads until the lookahead is there or the input ends.
    private func refill(from source: InputSource) -> Bool {
        if start > 0 {
            (input).update(from: input + start, count: end - start)
            base += start
            end -= start
            start = 0
        }
        while end - start <= Self.lookahead && !atEnd {
            let count = source.readRaw(input + end, capacity - end)
            if count < 0 { return false }
            if count == 0 { atEnd = true }
            end += count
        }
        return true
    }
}

/// Column shifts made by `JSONStreamFilter` on each line, consumed in file order.
struct ColumnCorrections {
    private var items: [(line: Int, column: Int, delta: Int)] = []
    private var head = 0
    private var currentLine = -1
    private var accumulated = 0

    mutating func add(line: Int, column: Int, delta: Int) {
        items.append((line, column, delta))
    }

    /// The original 0-based column of a filtered position. Positions are asked for in increasing order.
    @inline(__always)
    mutating func originalColumn(line: Int, column: Int) -> Int {
        if head == items.count && line == currentLine { return column + accumulated }
        if line != currentLine {
            currentLine = line
            accumulated = 0
        }
        while head < items.count {
            let item = items[head]
            if item.line < line || (item.line == line && item.column <= column) {
                if item.line == line { accumulated += item.delta }
                head += 1
            } else {
                break
            }
        }
        if head > 4096 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return column + accumulated
    }
}
