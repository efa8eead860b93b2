import Testing

@Test func placeholderOutdialEndToEndTests() { #expect(Bool(true)) }
