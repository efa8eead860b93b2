import Testing

@testable import OutdialCore

struct PhoneNumberTests {
    @Test func normalisation() {
        #expect(PhoneNumber.normalise("+1 (555) 123-0002") == "+15551230002")
        #expect(PhoneNumber.normalise("+44.20.7946.0000") == "+442079460000")
        #expect(PhoneNumber.normalise("+12") == "+12")
        #expect(PhoneNumber.normalise("+1") == nil)
        #expect(PhoneNumber.normalise("5551230002") == nil)
        #expect(PhoneNumber.normalise("001 555 123 0002") == nil)
        #expect(PhoneNumber.normalise("+0 555") == nil)
        #expect(PhoneNumber.normalise("+1555123000x") == nil)
        #expect(PhoneNumber.normalise("+123456789012345") == "+123456789012345")
        #expect(PhoneNumber.normalise("+1234567890123456") == nil)
    }

    @Test func blockedPrefixes() {
        #expect(PhoneNumber.blockedPrefix(of: "+447700900123", allowing: []) == "+447")
        #expect(PhoneNumber.blockedPrefix(of: "+441184960000", allowing: []) == "+44118")
        #expect(PhoneNumber.blockedPrefix(of: "+442079460000", allowing: []) == nil)
        #expect(PhoneNumber.blockedPrefix(of: "+819012345678", allowing: ["+8190"]) == nil)
        #expect(PhoneNumber.blockedPrefix(of: "+447700900123", allowing: ["+4478"]) == "+447")
    }

    @Test func suggestions() {
        #expect(
            FieldSuggestion.nearest(to: "destinationphonenumber", in: RequestField.allNames) == "DestinationPhoneNumber"
        )
        #expect(FieldSuggestion.nearest(to: "ContactFlow", in: RequestField.allNames) == "ContactFlowId")
        #expect(FieldSuggestion.nearest(to: "Atributes", in: RequestField.allNames) == "Attributes")
    }
}
