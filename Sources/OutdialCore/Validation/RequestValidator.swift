/// Checks one request (a row merged with the defaults) against every rule of job-file.md and
/// builds the `ConnectRequest`. Every problem is collected, not only the first.
///
/// The rules are spread by concern: the fields one by one (`ValidationContext+Fields.swift`),
/// phone numbers, attributes, references and the outbound strategy each in their own extension of
/// `ValidationContext`, which also holds the scalar readers every rule shares.
public struct RequestValidator: Sendable {
    /// The file, as named in diagnostics.
    public var file: String
    /// Destination prefixes this job may dial although they are blocked by default.
    public var allowPrefixes: [String]

    public init(file: String, allowPrefixes: [String] = []) {
        self.file = file
        self.allowPrefixes = allowPrefixes
    }

    /// The row option naming the called person's time zone; never sent (keys that start with a
    /// lower-case letter are outdial's own).
    static let timeZoneOption = "timezone"
    /// Every key a row may have: the API fields and outdial's own options.
    static let knownRowKeys = RequestField.allNames + [timeZoneOption]

    static let requiredFields: [RequestField] = [.destinationPhoneNumber, .contactFlowId, .instanceId]
    static let referenceKeys = ["Value", "Type", "Status", "Arn", "StatusReason"]
    static let answerMachineKeys = ["EnableAnswerMachineDetection", "AwaitAnswerMachinePrompt"]
    static let strategyKeys = ["Type", "Config"]
    static let maxAttributesBytes = 32_768
    static let maxReferencesBytes = 4_096

    /// Validates `entries` (the fields of one request, in order).
    /// - Parameters:
    ///   - entries: the request's fields, after merging; plain `null` values count as absent.
    ///   - mark: where the request starts, for problems about missing fields.
    ///   - rowPath: how the row is named in field paths (`contacts[3]`), or nil.
    ///   - complete: false for `defaults`, which need not hold the required fields.
    ///   - original: where to look for keys given twice (the row before merging), if not `entries`.
    ///   - diagnostics: problems are appended here.
    /// - Returns: the request when it broke no rule (always nil when `complete` is false).
    public func validate(
        _ entries: [Node.Entry],
        at mark: SourceMark,
        rowPath: String?,
        complete: Bool = true,
        duplicatesIn original: [Node.Entry]? = nil,
        into diagnostics: inout [Diagnostic]
    ) -> ValidatedRequest? {
        var context = ValidationContext(validator: self, rowPath: rowPath, diagnostics: diagnostics)
        defer { diagnostics = context.diagnostics }
        let before = context.diagnostics.count
        var draft = RequestDraft()

        context.checkDuplicates(original ?? entries, under: "")
        for entry in entries where !entry.value.isNull {
            context.field(entry, into: &draft)
        }
        context.checkAnswerMachineDetection(draft)

        guard complete else { return nil }
        context.checkRequiredFields(draft.present, at: mark)

        guard context.diagnostics.count == before else { return nil }
        return draft.takeValidated()
    }
}
