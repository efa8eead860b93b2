/// Splits a command line into words as a POSIX shell does (Python's `shlex.split`): whitespace
/// separates, single quotes keep text literally, double quotes allow `\"`, `\\`, `\$` and `` \` ``,
/// a backslash outside quotes keeps the next character.
enum ShellWords {
    struct UnterminatedQuote: Error, CustomStringConvertible {
        var description: String { "a quote is not closed" }
    }

    static func split(_ line: String) throws -> [String] {
        enum State { case between, word, single, double }
        var words: [String] = []
        var word = ""
        var state = State.between
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch state {
            case .between, .word:
                if character.isWhitespace {
                    if state == .word { words.append(word) }
                    word = ""
                    state = .between
                } else if character == "'" {
                    state = .single
                } else if character == "\"" {
                    state = .double
                } else if character == "\\" {
                    if let next = iterator.next() { word.append(next) }
                    state = .word
                } else {
                    word.append(character)
                    state = .word
                }
            case .single:
                if character == "'" { state = .word } else { word.append(character) }
            case .double:
                if character == "\"" {
                    state = .word
                } else if character == "\\" {
                    guard let next = iterator.next() else { throw UnterminatedQuote() }
                    if next == "\"" || next == "\\" || next == "$" || next == "`" {
                        word.append(next)
                    } else if next != "\n" {
                        word.append("\\")
                        word.append(next)
                    }
                } else {
                    word.append(character)
                }
            }
        }
        switch state {
        case .single, .double: throw UnterminatedQuote()
        case .word: words.append(word)
        case .between: break
        }
        return words
    }
}
