/// Keeps what a credential helper printed on standard error out of results and logs, except a
/// short first line with anything that looks like a secret replaced: standard error may hold
/// keys, tokens or passwords, and result lines are shared.
enum SecretRedaction {
    /// What replaces a secret.
    static let placeholder = "[redacted]"

    /// The first non-blank line of `text`, redacted (``redacting(_:)``), with control characters
    /// escaped and cut to 200 characters; `nil` when `text` is blank.
    static func firstLine(of text: String) -> String? {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) }
        guard let line else { return nil }
        return ConfigurationValue.shown(redacting(String(line).trimmingWhitespace()))
    }

    /// `line` with secrets replaced by ``placeholder``: JSON values of keys naming a secret, token
    /// or password (`"SecretAccessKey": "..."`), `name=value` and `name: value` where the name
    /// does, AWS access key ids (`AKIA...`, `ASIA...`), and runs of 40 or more base64 characters
    /// (secret keys, session tokens).
    static func redacting(_ line: String) -> String {
        // A name containing secret, token, password, passwd, pwd, api_key or credential, then its
        // value: quoted after `"name":` in JSON, or after `name=` / `name:` elsewhere.
        let jsonValue =
            #/
            "(?<name> [a-z0-9_.-]* (?: secret|token|password|passwd|pwd|api[_-]?key|credential ) [a-z0-9_.-]* )"
            \s* : \s* " (?: [^"\\] | \\. )* "
            /#.ignoresCase()
        let assignedValue =
            #/
            \b (?<name> [a-z0-9_.-]* (?: secret|token|password|passwd|pwd|api[_-]?key|credential ) [a-z0-9_.-]* )
            (?<separator> \s* [=:] \s* )
            (?: "[^"]*" | '[^']*' | [^\s,;&"]+ )
            /#.ignoresCase()
        var text = line
        text = text.replacing(jsonValue) { "\"\($0.name)\": \"\(placeholder)\"" }
        text = text.replacing(assignedValue) { "\($0.name)\($0.separator)\(placeholder)" }
        text = text.replacing(#/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}/#, with: placeholder)
        text = text.replacing(#/[A-Za-z0-9\/+=]{40,}/#, with: placeholder)
        return text
    }
}
