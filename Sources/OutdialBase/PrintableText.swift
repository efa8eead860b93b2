extension String {
    /// The text with control characters written as escapes (`\n`, `\t`, `\r`, `\u{1B}`, …), so a
    /// name taken from outside (a file name may hold a newline or a terminal escape) prints as one
    /// line and cannot move the cursor or recolour the terminal. Text without control characters is
    /// returned as it is.
    public var printable: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return self
        }
        var text = ""
        text.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case _ where scalar.properties.generalCategory == .control:
                text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
