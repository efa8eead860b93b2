import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// `outdial suppress add|remove|list`: the do-not-call list in the store.
@Suite struct SuppressionTests {
    @Test func addedNumbersAreListedAndRemoved() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            let (entry, replaced) = try await ledger.addSuppression(
                number: "+15550100002",
                reason: "asked to stop",
                until: nil
            )
            #expect(!replaced)
            #expect(entry.number == "+15550100002")
            try await ledger.addSuppression(number: "+15550100001", reason: nil, until: nil)

            let list = try await ledger.suppressions()
            #expect(list.map(\.number) == ["+15550100001", "+15550100002"])
            #expect(list[1].reason == "asked to stop")
            #expect(list[0].reason == nil)
            #expect(list[1].added == UTCTimestamp(fixture.clock.date))
            #expect(list.allSatisfy { !$0.isExpired && $0.until == nil })

            #expect(try await ledger.removeSuppression(number: "+15550100002"))
            #expect(try await !ledger.removeSuppression(number: "+15550100002"))
            #expect(try await ledger.suppressions().map(\.number) == ["+15550100001"])
        }
    }

    @Test func addingAgainReplacesReasonAndEnd() async throws {
        try await LedgerFixture.with { fixture in
            let end = UTCTimestamp(fixture.clock.date.addingTimeInterval(3600))
            try await fixture.ledger.addSuppression(number: "+15550100001", reason: "first", until: end)
            fixture.clock.advance(by: 60)
            let (entry, replaced) = try await fixture.ledger.addSuppression(
                number: "+1 555 010 0001",
                reason: "second",
                until: nil
            )
            #expect(replaced)
            let list = try await fixture.ledger.suppressions()
            #expect(list == [entry])
            #expect(list.first?.reason == "second")
            #expect(list.first?.until == nil)
            #expect(list.first?.added == UTCTimestamp(fixture.clock.date))
        }
    }

    @Test func anEntryExpiresAtItsEnd() async throws {
        try await LedgerFixture.with { fixture in
            let end = UTCTimestamp(fixture.clock.date.addingTimeInterval(3600))
            try await fixture.ledger.addSuppression(number: "+15550100001", reason: "for an hour", until: end)
            try await fixture.ledger.addSuppression(number: "+15550100002", reason: "for good", until: nil)

            fixture.clock.advance(by: 3599)
            #expect(try await fixture.ledger.suppressions().map(\.isExpired) == [false, false])
            // The claims of a run read the list the same way: suppressed until the end.
            var rules = try await fixture.ledger.screen(rowsFor: ["+15550100001", "+15550100002"])
            #expect(rules.map { $0?.reason } == [.suppressed, .suppressed])

            fixture.clock.advance(by: 1)
            let list = try await fixture.ledger.suppressions()
            #expect(list.map(\.isExpired) == [true, false])
            #expect(list.first?.until == end)
            rules = try await fixture.ledger.screen(rowsFor: ["+15550100001", "+15550100002"])
            #expect(rules.map { $0?.reason } == [nil, .suppressed])
        }
    }

    @Test func numbersAreNormalisedAsJobRowsAre() async throws {
        try await LedgerFixture.with { fixture in
            let (entry, _) = try await fixture.ledger.addSuppression(
                number: "+1 (555) 010-0001",
                reason: nil,
                until: nil
            )
            #expect(entry.number == "+15550100001")
            #expect(entry.number == PhoneNumber.normalise("+1 (555) 010-0001"))
            #expect(try await fixture.ledger.removeSuppression(number: "+1.555.010.0001"))

            // No country code is assumed: a number without + is refused, naming it.
            for text in ["(555) 010-0001", "5550100001", "+0555", "+1555abc0001"] {
                let error = await #expect(throws: LedgerInputError.self) {
                    try await fixture.ledger.addSuppression(number: text, reason: nil, until: nil)
                }
                #expect(error?.code == "InvalidPhoneNumber")
                #expect(error?.message.contains("found \"\(text)\"; expected an E.164 number") == true)
            }
            #expect(try await fixture.ledger.suppressions().isEmpty)
        }
    }
}

extension Ledger {
    /// What a run would say of rows to these destinations now, under no limits.
    func screen(rowsFor destinations: [String]) async throws -> [Refusal?] {
        try await screen(
            destinations.map {
                (destination: $0, instance: "instance-1", limits: [ContactLimit](), key: LimitKey.destination, row: nil)
            }
        )
    }
}
