import Testing

@Test func placeholderOutdialCoreTests() { #expect(Bool(true)) }
