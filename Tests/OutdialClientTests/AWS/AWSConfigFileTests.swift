import OutdialClient
import Testing

struct AWSConfigFileTests {
    @Test func readsSectionsCommentsDelimitersAndNestedValues() throws {
        let text = """
            # comment
            ; another
            [profile dev]
            Region = us-west-2
            output: json
              ; indented comment
            services = local

            [services local]
            connect =
              endpoint_url = http://127.0.0.1:4566

              region = eu-west-1
            note = first
              second line\r
            """
        let file = try AWSConfigFile(parsing: text, path: "config")
        #expect(file.sections["profile dev"]?["region"] == .text("us-west-2"))
        #expect(file.sections["profile dev"]?["output"] == .text("json"))
        #expect(file.sections["profile dev"]?["services"] == .text("local"))
        #expect(
            file.sections["services local"]?["connect"]
                == .nested(["endpoint_url": "http://127.0.0.1:4566", "region": "eu-west-1"])
        )
        #expect(file.sections["services local"]?["note"] == .text("first\nsecond line"))
    }

    @Test func settingBeforeAnySectionNamesFileAndLine() {
        #expect(throws: AWSConfigurationError.invalidConfigFile("config:2: a setting before any [section] header")) {
            try AWSConfigFile(parsing: "\nregion = us-east-1\n", path: "config")
        }
    }

    @Test func duplicateSectionIsRefusedAsBotocoreDoes() {
        #expect(throws: AWSConfigurationError.invalidConfigFile("credentials:3: section [default] appears twice")) {
            try AWSConfigFile(parsing: "[default]\na = 1\n[default]\n", path: "credentials")
        }
    }

    @Test func missingFileIsEmpty() throws {
        #expect(try AWSConfigFile.load(path: "/nonexistent/config").sections.isEmpty)
    }
}
