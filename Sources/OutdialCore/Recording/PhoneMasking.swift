/// Masks phone numbers for logs: `+15550000001` becomes `+1555***0001`. Results files keep full
/// numbers; logs never do.
public enum PhoneMasking {
    /// Masks one number: the `+`, the first four digits and the last four stay, the middle
    /// becomes `***`. Numbers of 8 digits or fewer keep only their last two digits.
    public static func mask(_ number: String) -> String {
        let hasPlus = number.hasPrefix("+")
        let digits = Array(hasPlus ? number.dropFirst() : number[...])
        let prefix = hasPlus ? "+" : ""
        guard digits.count > 8 else {
            return prefix + "***" + String(digits.suffix(2))
        }
        return prefix + String(digits.prefix(4)) + "***" + String(digits.suffix(4))
    }

    /// Masks every phone number in a text: a `+` followed by 7 to 15 digits, or a run of 10 to 15
    /// digits standing alone (not part of a longer run of digits or letters, nor a group after `-`).
    public static func maskNumbers(in text: String) -> String {
        let characters = Array(text)
        var result = ""
        result.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let startsWithPlus = character == "+"
            let digitsStart = startsWithPlus ? index + 1 : index
            var end = digitsStart
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            let count = end - digitsStart
            let previous = index > 0 ? characters[index - 1] : " "
            // A run after `-` is part of an identifier (the last group of a UUID), not a number.
            let standsAlone =
                !(previous.isLetter || previous.isNumber || previous == "-")
                && !(end < characters.count && (characters[end].isLetter))
            let isNumber =
                startsWithPlus ? (7 ... 15).contains(count) : (standsAlone && (10 ... 15).contains(count))
            if isNumber && (startsWithPlus || standsAlone) {
                result += mask(String(characters[index ..< end]))
                index = end
            } else if count > 0 && !startsWithPlus {
                result += String(characters[index ..< end])
                index = end
            } else {
                result.append(character)
                index += 1
            }
        }
        return result
    }
}
