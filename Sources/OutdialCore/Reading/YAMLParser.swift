import CYaml

/// Owns a libyaml parser (freed in `deinit`) fed through a read handler from an `InputSource`.
final class YAMLParser {
    let raw: UnsafeMutablePointer<yaml_parser_t>
    private let input: InputSource

    /// Returns nil when libyaml cannot allocate its parser.
    init?(input: InputSource) {
        raw = .allocate(capacity: 1)
        raw.initialize(to: yaml_parser_t())
        guard yaml_parser_initialize(raw) == 1 else {
            raw.deallocate()
            return nil
        }
        self.input = input
        input.parser = raw
        yaml_parser_set_encoding(raw, YAML_UTF8_ENCODING)
        yaml_parser_set_input(raw, readHandler, Unmanaged.passUnretained(input).toOpaque())
    }

    deinit {
        input.parser = nil
        yaml_parser_delete(raw)
        raw.deallocate()
    }

    /// Pulls the next event into `event`, freeing the one it held. False on a libyaml error.
    func parse(into event: YAMLEvent) -> Bool {
        event.clear()
        guard yaml_parser_parse(raw, event.raw) == 1 else { return false }
        event.isLoaded = true
        return true
    }
}

/// Owns one libyaml event; reused for every event of a read, freed in `deinit`.
final class YAMLEvent {
    let raw: UnsafeMutablePointer<yaml_event_t>
    fileprivate(set) var isLoaded = false

    init() {
        raw = .allocate(capacity: 1)
        raw.initialize(to: yaml_event_t())
    }

    deinit {
        clear()
        raw.deallocate()
    }

    func clear() {
        if isLoaded {
            yaml_event_delete(raw)
            isLoaded = false
        }
    }

    var type: yaml_event_type_t { raw.pointee.type }
}

private func readHandler(
    _ data: UnsafeMutableRawPointer?,
    _ buffer: UnsafeMutablePointer<UInt8>?,
    _ size: Int,
    _ sizeRead: UnsafeMutablePointer<Int>?
) -> Int32 {
    guard let data, let buffer, let sizeRead else { return 0 }
    let input = Unmanaged<InputSource>.fromOpaque(data).takeUnretainedValue()
    let count = input.fill(buffer, capacity: size)
    guard count >= 0 else { return 0 }
    sizeRead.pointee = count
    return 1
}
