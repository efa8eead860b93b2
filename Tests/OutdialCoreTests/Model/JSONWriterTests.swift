import Testing

@testable import OutdialCore

struct JSONWriterTests {
    @Test func nestedObjectsAndEscapes() {
        var w = JSONWriter()
        w.beginObject()
        w.field("a", "x\"y\\z\n\u{01}é")
        w.key("b")
        w.beginArray()
        w.int(1)
        w.bool(false)
        w.null()
        w.endArray()
        w.key("c")
        w.beginObject()
        w.endObject()
        w.field("d", 2)
        w.endObject()
        #expect(
            String(decoding: w.bytes, as: UTF8.self) == #"{"a":"x\"y\\z\n\u0001é","b":[1,false,null],"c":{},"d":2}"#
        )
    }
}
