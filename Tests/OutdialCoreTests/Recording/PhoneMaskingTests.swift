import OutdialCore
import Testing

struct PhoneMaskingTests {
    @Test func masksTheMiddleOfANumber() {
        #expect(PhoneMasking.mask("+15550000001") == "+1555***0001")
        #expect(PhoneMasking.mask("+442071838750") == "+4420***8750")
        #expect(PhoneMasking.mask("+4930123") == "+***23")
    }

    @Test func masksEveryNumberInAText() {
        #expect(
            PhoneMasking.maskNumbers(in: #"{"DestinationPhoneNumber":"+15550000001","x":"call 4155550123 now"}"#)
                == #"{"DestinationPhoneNumber":"+1555***0001","x":"call 4155***0123 now"}"#
        )
    }

    @Test func leavesContactIdsAlone() {
        let text =
            #"{"ContactId":"846ec553-a005-41c0-8341-123456789012","#
            + #""InstanceId":"12345678-1234-1234-1234-123456789012"}"#
        #expect(PhoneMasking.maskNumbers(in: text) == text)
    }

    @Test func leavesDatesTokensAndShortNumbersAlone() {
        let text = #"{"ClientToken":"a1b2c3d4-1234-5678-9abc-123456789012x","n":42,"at":"20261125T010203Z"}"#
        #expect(PhoneMasking.maskNumbers(in: text) == text)
    }
}
