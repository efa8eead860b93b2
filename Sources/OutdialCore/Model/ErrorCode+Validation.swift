// The codes of problems in a request or a job file's keys, found while validating.
extension ErrorCode {
    /// A key that the request (or a map inside it, or the job file) does not take.
    public static let unknownField = "UnknownField"
    /// A key given twice in one map.
    public static let duplicateKey = "DuplicateKey"
    /// A value of the wrong kind: a map where text was expected, a quoted number, ...
    public static let invalidType = "InvalidType"
    /// A required field is absent from the row and the defaults.
    public static let missingRequiredField = "MissingRequiredField"
    /// Text longer than the API allows (or names and values over their total size).
    public static let valueTooLong = "ValueTooLong"
    /// Text shorter than the API allows (an empty string where one character is needed).
    public static let valueTooShort = "ValueTooShort"
    /// A number outside the range the API allows.
    public static let outOfRange = "OutOfRange"
    /// A value outside the API's list of allowed values.
    public static let invalidEnumValue = "InvalidEnumValue"
    /// Fields that are each valid but not allowed together.
    public static let invalidFieldCombination = "InvalidFieldCombination"
    /// `DestinationPhoneNumber` is not an E.164 number.
    public static let invalidDestinationPhoneNumber = "InvalidDestinationPhoneNumber"
    /// `SourcePhoneNumber` is not an E.164 number.
    public static let invalidSourcePhoneNumber = "InvalidSourcePhoneNumber"
    /// The destination starts with a prefix Connect blocks by default and the job does not allow.
    public static let blockedPrefix = "BlockedPrefix"
    /// An `InstanceId` or `ContactFlowId` ARN of the wrong shape.
    public static let invalidARN = "InvalidARN"
    /// An attribute name with characters other than letters, digits, `_` and `-`.
    public static let invalidAttributeName = "InvalidAttributeName"
    /// A reference's `Arn` of the wrong length or characters.
    public static let invalidReferenceArn = "InvalidReferenceArn"
    /// A reference's `Value` that its `Type` does not take (a DATE that is not epoch seconds).
    public static let invalidReferenceValue = "InvalidReferenceValue"
}
