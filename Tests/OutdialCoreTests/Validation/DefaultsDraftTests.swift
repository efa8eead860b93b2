import Testing

@testable import OutdialCore

/// Rows checked on the defaults' draft (the defaults validated once) give exactly the request the
/// general way gives (the defaults merged into every row, then the whole row checked), and every
/// row the draft cannot serve is left to the general way.
struct DefaultsDraftTests {
    struct NotAMap: Error {}

    static let validator = RequestValidator(file: "t.json")
    static let mark = SourceMark(line: 4, column: 3)
    static let defaults = """
        {"InstanceId": "arn:aws:connect:eu-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012",
         "ContactFlowId": "846ec553-a005-41c0-8341-123456789012", "SourcePhoneNumber": "+15550100100",
         "timezone": "Europe/London", "Attributes": {"campaign": "spring", "tier": "gold"}}
        """

    static func entries(_ json: String) throws -> [Node.Entry] {
        guard case .mapping(let entries) = try TestDocument.parse(json).value else { throw NotAMap() }
        return entries
    }

    /// The general way: merged, then checked whole.
    static func general(_ row: [Node.Entry], _ defaults: [Node.Entry]) -> ValidatedRequest? {
        var diagnostics: [Diagnostic] = []
        return validator.validate(
            RowMerger.merge(defaults: defaults, row: row),
            at: mark,
            rowPath: nil,
            duplicatesIn: row,
            into: &diagnostics
        )
    }

    static func onDraft(_ row: [Node.Entry], _ defaults: [Node.Entry]) -> ValidatedRequest? {
        guard let draft = DefaultsDraft(defaults, validator: validator) else { return nil }
        return validator.validate(row, over: draft, at: mark)
    }

    @Test(arguments: [
        #"{"DestinationPhoneNumber": "+12025550100", "Name": "Jane"}"#,
        #"{"DestinationPhoneNumber": "+1 (202) 555-0101", "Attributes": {"seq": "7", "campaign": "summer"}}"#,
        #"{"DestinationPhoneNumber": "+12025550102", "Attributes": {"tier": null}, "QueueId": "q-1"}"#,
        #"{"DestinationPhoneNumber": "+12025550103", "ClientToken": "row-3", "Description": "call \"back\""}"#,
    ])
    func aRowOnTheDraftGetsTheSameRequestAsMerged(row: String) throws {
        let (row, defaults) = (try Self.entries(row), try Self.entries(Self.defaults))
        let general = try #require(Self.general(row, defaults))
        let onDraft = try #require(Self.onDraft(row, defaults))
        #expect(onDraft == general)
        #expect(onDraft.request.jsonBody() == general.request.jsonBody())
        #expect(onDraft.regionFromARN == "eu-west-2")
        #expect(onDraft.timeZone == "Europe/London")
    }

    @Test func theRowsAttributesMergeWithTheDefaultsKeyByKeyInTheirOrder() throws {
        let row = try Self.entries(
            #"{"DestinationPhoneNumber": "+12025550100", "Attributes": {"seq": "1", "tier": "silver"}}"#
        )
        let request = try #require(Self.onDraft(row, try Self.entries(Self.defaults))).request
        #expect(request.attributes?.map(\.key) == ["campaign", "tier", "seq"])
        #expect(request.attributes?.map(\.value) == ["spring", "silver", "1"])
    }

    /// Attributes the draft merges itself and those it leaves to the general way end in the same
    /// request, or in none for both.
    @Test(arguments: [
        (#"{"campaign": "spring", "tier": "gold"}"#, #"{"tier": "a", "tier": "b", "seq": "1"}"#),
        (#"{"campaign": "spring", "tier": "gold"}"#, #"{"seq": "1", "seq": "2"}"#),
        (#"{"campaign": null, "tier": "gold"}"#, #"{"seq": "1", "campaign": "summer"}"#),
        (#"{"campaign": "spring"}"#, #"{"campaign": "", "new-one": "x", "tier": "gold"}"#),
        (#"{"campaign": "spring"}"#, #"{"seq": ["1"]}"#),
        (#"{"campaign": "spring"}"#, #"{"bad name": "1"}"#),
        (#"{"campaign": "spring"}"#, #"{"big": "\#(String(repeating: "x", count: 32_760))"}"#),
        (#"{"campaign": "spring"}"#, #"{"campaign": "\#(String(repeating: "x", count: 32_760))"}"#),
    ])
    func attributesMergedOnTheDraftAreThoseTheGeneralWayGives(defaults: String, row: String) throws {
        let defaults = try Self.entries(
            #"{"InstanceId": "i-1", "ContactFlowId": "f-1", "Attributes": \#(defaults)}"#
        )
        let row = try Self.entries(#"{"DestinationPhoneNumber": "+12025550100", "Attributes": \#(row)}"#)
        let general = Self.general(row, defaults)
        let onDraft = Self.onDraft(row, defaults)
        #expect(onDraft == general)
        #expect(onDraft?.request.jsonBody() == general?.request.jsonBody())
    }

    @Test(arguments: [
        // Overrides a default, removes one, or breaks a rule: the general way says what happens.
        #"{"DestinationPhoneNumber": "+12025550100", "SourcePhoneNumber": "+15550100199"}"#,
        #"{"DestinationPhoneNumber": "+12025550100", "timezone": null}"#,
        #"{"DestinationPhoneNumber": "+12025550100", "Attributes": null}"#,
        #"{"DestinationPhoneNumber": "2025550100"}"#,
        #"{"DestinationPhoneNumber": "+12025550100", "Name": "a", "Name": "b"}"#,
        #"{"DestinationPhoneNumber": "+12025550100", "Colour": "red"}"#,
    ])
    func aRowTheDraftCannotServeIsLeftToTheGeneralWay(row: String) throws {
        #expect(Self.onDraft(try Self.entries(row), try Self.entries(Self.defaults)) == nil)
    }

    @Test func theRowThatOverridesADefaultStillGetsItsOwnValue() throws {
        let row = try Self.entries(#"{"DestinationPhoneNumber": "+12025550100", "SourcePhoneNumber": "+15550100199"}"#)
        let general = try #require(Self.general(row, try Self.entries(Self.defaults)))
        #expect(general.request.sourcePhoneNumber == "+15550100199")
    }

    @Test(arguments: [
        #"{"InstanceId": "i-1", "References": {"a": {"Type": "URL", "Value": "https://example.com"}}}"#,
        #"{"InstanceId": "i-1", "InstanceId": "i-2"}"#,
        #"{"ContactFlowId": "f-1", "RingTimeoutInSeconds": 5}"#,
        #"{"ContactFlowId": "f-1", "Attributes": "campaign"}"#,
    ])
    func defaultsThatMergeByKeyRepeatAKeyOrBreakARuleHaveNoDraft(defaults: String) throws {
        #expect(DefaultsDraft(try Self.entries(defaults), validator: Self.validator) == nil)
    }
}
