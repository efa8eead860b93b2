import Testing

@Test func placeholderOutdialClientTests() { #expect(Bool(true)) }
