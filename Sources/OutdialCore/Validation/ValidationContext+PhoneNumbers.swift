// Destination and source numbers: E.164, and destinations outside the prefixes Connect blocks.
extension ValidationContext {
    /// The normalised destination, unless it is not E.164 or starts with a blocked prefix.
    mutating func destinationPhoneNumber(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        guard let number = PhoneNumber.normalise(text) else {
            report(ErrorCode.invalidDestinationPhoneNumber, path, Self.phoneMessage(text), node.mark)
            return nil
        }
        if let blocked = PhoneNumber.blockedPrefix(of: number, allowing: validator.allowPrefixes) {
            report(
                ErrorCode.blockedPrefix,
                path,
                "\(quoted(number)) starts with \(blocked), which is blocked by default; "
                    + "list the prefix in allowPrefixes or pass --allow-prefix \(blocked) to dial it",
                node.mark
            )
            return nil
        }
        return number
    }

    /// The normalised source number, unless it is not E.164.
    mutating func sourcePhoneNumber(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        if let number = PhoneNumber.normalise(text) { return number }
        report(ErrorCode.invalidSourcePhoneNumber, path, Self.phoneMessage(text), node.mark)
        return nil
    }

    static func phoneMessage(_ text: String) -> String {
        "found \(quoted(text)); expected an E.164 number: +, country code and number, 2 to 15 digits "
            + "(spaces, -, ., ( and ) are ignored; no country code is assumed)"
    }
}
