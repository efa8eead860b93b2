import Testing

@testable import OutdialCore

struct AliasReadingTests {
    @Test func aliasesRepeatTheAnchoredNode() throws {
        let visitor = try record(
            """
            x-flow: &flow 846ec553
            x-attrs: &attrs {campaign: c1}
            contacts:
              - ContactFlowId: *flow
                Attributes: *attrs

            """
        )
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                "entry x-flow@1:1 = 846ec553@1:9",
                "entry x-attrs@2:1 = {campaign@2:18: c1@2:28}@2:10",
                "contacts 3:1 4:3",
                "contact 0 {ContactFlowId@4:5: 846ec553@1:9, Attributes@5:5: {campaign@2:18: c1@2:28}@2:10}@4:5",
                "end",
            ]
        )
    }

    @Test func mergeKeysMergeEntriesAndExplicitKeysWin() throws {
        let visitor = try record(
            """
            x-base: &base
              InstanceId: i-1
              Attributes: {k: v}
            x-more: &more
              QueueId: q
              InstanceId: i-2
            contacts:
              - <<: *base
                DestinationPhoneNumber: "+1"
              - InstanceId: own
                <<: [*more, *base]
                Name: n

            """
        )
        #expect(visitor.contacts.count == 2)
        #expect(
            render(visitor.contacts[0])
                == #"{InstanceId@2:3: i-1@2:15, Attributes@3:3: {k@3:16: v@3:19}@3:15, DestinationPhoneNumber@9:5: "+1"@9:29}@8:5"#
        )
        #expect(
            render(visitor.contacts[1])
                == "{InstanceId@10:5: own@10:17, QueueId@5:3: q@5:12, Attributes@3:3: {k@3:16: v@3:19}@3:15, Name@12:5: n@12:11}@10:5"
        )
    }

    @Test func topLevelMergeDeliversMissingKeysAfterTheOthers() throws {
        let visitor = try record(
            """
            x-common: &common
              version: 1
              pacing: {rate: 1}
            <<: *common
            pacing: {rate: 2}

            """
        )
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                "entry x-common@1:1 = {version@2:3: 1@2:12, pacing@3:3: {rate@3:12: 1@3:18}@3:11}@1:11",
                "entry pacing@5:1 = {rate@5:10: 2@5:16}@5:9",
                "entry version@2:3 = 1@2:12",
                "end",
            ]
        )
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        let visitor = try record("a: {'<<': 1}\n")
        #expect(visitor.log == ["begin mapping 1:1", "entry a@1:1 = {<<@1:5: 1@1:11}@1:4", "end"])
    }

    @Test func mergeOfAScalarIsRefused() {
        let error = readError("x: &x 5\na: {<<: *x}\n")
        #expect(error?.code == "InvalidMerge")
        #expect(
            error?.description == "job.yaml:1:4: error: the merge key '<<' takes a map or a list of maps, not a scalar"
        )
    }

    @Test func undefinedAliasIsRefused() {
        let error = readError("a: *nowhere\n")
        #expect(error?.code == "UndefinedAlias")
        #expect(error?.description == "job.yaml:1:4: error: the alias '*nowhere' refers to no anchor defined before it")
    }

    @Test func aliasOfTheStreamedContactsListIsRefused() {
        let error = readError("contacts: &rows\n  - a: 1\nagain: *rows\n")
        #expect(error?.code == "UndefinedAlias")
        #expect(
            error?.description
                == "job.yaml:3:8: error: the alias '*rows' refers to the contacts list or the document root, which are read as a stream and cannot be repeated"
        )
    }

    @Test func billionLaughsIsRefused() {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        let names = Array("abcdefghi")
        for level in 1 ..< names.count {
            let previous = names[level - 1]
            text +=
                "\(names[level]): &\(names[level]) ["
                + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let error = readError(text)
        #expect(error?.code == "AliasLimit")
        // The fourth level (10 × 1,111 nodes) crosses the bound at its eighth alias.
        #expect(
            error?.description
                == "job.yaml:4:36: error: aliases expand to more than 10000 nodes; the file is refused as an alias bomb"
        )
    }

    @Test func aliasesInManyRowsStayWithinTheBound() throws {
        var text = "x-d: &d {InstanceId: i, QueueId: q, Attributes: {a: b, c: d}}\ncontacts:\n"
        for row in 0 ..< 3_000 { text += "  - {<<: *d, DestinationPhoneNumber: '+1555\(row)'}\n" }
        let visitor = try record(text)
        #expect(visitor.contacts.count == 3_000)
    }

    @Test func anchoredAliasesCannotNestTooDeep() {
        var text = "a: &a " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n"
        text += "b: " + String(repeating: "[", count: 30) + "*a" + String(repeating: "]", count: 30) + "\n"
        let error = readError(text)
        #expect(error?.code == "TooDeep")
        #expect(error?.description == "job.yaml:2:34: error: the alias '*a' nests maps and lists deeper than 64 levels")
    }
}
