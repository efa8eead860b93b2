import Testing

@Test func placeholderConnectSimulatorTests() { #expect(Bool(true)) }
