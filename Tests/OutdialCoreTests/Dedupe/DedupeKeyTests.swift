import Testing

@testable import OutdialCore

struct DedupeKeyTests {
    var request: ConnectRequest {
        var request = ConnectRequest(destinationPhoneNumber: "+15551230001", contactFlowId: "f", instanceId: "i-1")
        request.attributes = [.init("account", "A-7")]
        return request
    }

    @Test func defaultKeyText() {
        #expect(String(decoding: DedupeKey.standard.text(for: request), as: UTF8.self) == #"["i-1","+15551230001"]"#)
    }

    @Test func absentFieldsAreNullAndAttributesCanBeParts() throws {
        let key = DedupeKey([.field(.name), .attribute("account"), .attribute("missing")])
        #expect(String(decoding: key.text(for: request), as: UTF8.self) == #"[null,"A-7",null]"#)
        #expect(DedupeKey.part(named: "Attributes.account") == .attribute("account"))
        #expect(DedupeKey.part(named: "Attributes") == nil)
        #expect(DedupeKey.part(named: "References") == nil)
        #expect(DedupeKey.part(named: "QueueId") == .field(.queueId))
    }

    @Test func indexKeepsTheFirstRow() {
        var index = DedupeIndex()
        let a = index.addSource("a.yaml")
        let b = index.addSource("b.yaml")
        let digest = KeyDigest(of: Array(#"["i-1","+15551230001"]"#.utf8))
        #expect(index.insert(digest, sourceIndex: a, row: 3) == nil)
        let repeated = index.insert(digest, sourceIndex: b, row: 0)
        #expect(repeated?.source == "a.yaml")
        #expect(repeated?.row == 3)
        #expect(index.insert(KeyDigest(of: Array(#"["i-1","+15551230002"]"#.utf8)), sourceIndex: b, row: 1) == nil)
        #expect(index.count == 2)
    }

    @Test func digestsOfTheSameTextAreEqualAndOfTextsThatDifferByOneByteAreNot() {
        let text = Array(#"["i-1","+15551230001"]"#.utf8)
        #expect(KeyDigest(of: text) == KeyDigest(of: text))
        var seen: Set<KeyDigest> = [KeyDigest(of: text)]
        for index in text.indices {
            var changed = text
            changed[index] ^= 1
            let digest = KeyDigest(of: changed)
            #expect(!seen.contains(digest))
            seen.insert(digest)
        }
        // The two halves are hashed apart: neither is a copy of the other.
        #expect(KeyDigest(of: text).high != KeyDigest(of: text).low)
        #expect(KeyDigest(of: []) != KeyDigest(of: [0]))
    }

    @Test func clientTokenDerivation() {
        // python3 -c 'import hashlib; print(hashlib.sha256(b"job-1\n[\"i-1\",\"+15551230001\"]").hexdigest())'
        #expect(
            JobIdentity.clientToken(jobId: "job-1", keyText: Array(#"["i-1","+15551230001"]"#.utf8))
                == "611924f6b2d6e4c7878dd29960d25025b3e6e01aa30cf9988d86651d406eddcc"
        )
    }
}
