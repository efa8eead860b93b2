import Testing

@testable import OutdialCore

/// A `.json` file is strict JSON (RFC 8259), with JSON-worded errors at file:line:col.
struct StrictJSONTests {
    func error(_ text: String, name: String = "job.json") -> String? {
        readError(text, name: name)?.description
    }

    @Test func trailingCommas() {
        #expect(
            error("{\"contacts\": [1, 2,]}")
                == "job.json:1:20: error: expected a value after ','; JSON allows no trailing comma"
        )
        #expect(
            error("{\"version\": 1,\n }")
                == "job.json:2:2: error: expected a key after ','; JSON allows no trailing comma"
        )
    }

    @Test func commentsAndSingleQuotes() {
        #expect(error("{\"a\": 1 // note\n}") == "job.json:1:9: error: found '/'; JSON allows no comments")
        #expect(error("# note\n{}") == "job.json:1:1: error: found '#'; JSON allows no comments")
        #expect(error("{'a': 1}") == "job.json:1:2: error: found a single quote; JSON strings take double quotes")
    }

    @Test func yamlOnlySyntax() {
        #expect(
            error("{\"a\": &x {\"b\": 1}}")
                == "job.json:1:7: error: found '&', which is YAML syntax; a .json file must be plain JSON"
        )
        #expect(
            error("{\"a\": yes}")
                == "job.json:1:7: error: found 'yes'; a JSON string takes double quotes (the bare words allowed are true, false and null)"
        )
        #expect(error("{a: 1}") == "job.json:1:2: error: found a bare word; a JSON key takes double quotes")
        #expect(
            error("{\"n\": 01}")
                == "job.json:1:7: error: found '01'; expected a JSON number (digits, no leading zeros or '+', digits on both sides of '.')"
        )
        #expect(
            error(#"{"s": "\x41"}"#)
                == #"job.json:1:8: error: found the escape '\x'; JSON allows \" \\ \/ \b \f \n \r \t and \uXXXX"#
        )
    }

    @Test func structure() {
        #expect(error("{\"a\": 1 \"b\": 2}") == "job.json:1:9: error: found a string; expected ',' or '}'")
        #expect(error("{\"a\" 1}") == "job.json:1:6: error: found '1'; expected ':' after the key")
        #expect(error("{} {}") == "job.json:1:4: error: found '{' after the JSON value; a file holds one value")
        #expect(
            error("{\"a\": [1, 2") == "job.json:1:12: error: the file ends inside the JSON value; expected ',' or ']'"
        )
    }

    @Test func columnsCountTheFileAfterRewrites() {
        // The surrogate pair is rewritten for libyaml; the column is still the file's own.
        #expect(
            error(#"{"s": "\ud83d\ude00", 'x': 1}"#)
                == "job.json:1:23: error: found a single quote; JSON strings take double quotes"
        )
    }

    @Test func validJSONStillReads() throws {
        let visitor = try record(#"{"a": [1, -2.5e3, true, null, {"b": "c"}], "d": {}}"#, name: "job.json")
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                #"entry a@1:2 = [1@1:8, -2.5e3@1:11, true@1:19, null@1:25, {b@1:32: "c"@1:37}@1:31]@1:7"#,
                "entry d@1:44 = {}@1:49", "end",
            ]
        )
    }

    @Test func duplicateKeysStayRefused() {
        #expect(readError(#"{"a": 1, "a": 2}"#, name: "job.json")?.code == "DuplicateKey")
    }

    @Test func sniffedJSONIsReadAsBefore() throws {
        // A file without a .json extension that starts with `{` may be flow YAML.
        let visitor = try record("{a: yes}", name: "job")
        #expect(visitor.log == ["begin mapping 1:1", "entry a@1:2 = yes@1:5", "end"])
    }
}
