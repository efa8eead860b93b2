import Foundation
import Outdial
import Testing

/// The drop folder's claim, finish, take-over and refusal rules, on a temporary folder.
@Suite struct SpoolFolderTests {
    private func makeFolder(_ folder: TestFolder) throws -> SpoolFolder {
        try FileManager.default.createDirectory(atPath: folder.path("drop/incoming"), withIntermediateDirectories: true)
        let spool = SpoolFolder(root: folder.path("drop"))
        try spool.prepare()
        return spool
    }

    @Test func theSameNameFinishedFourTimesInOneSecondKeepsAllFour() throws {
        let folder = try TestFolder()
        let spool = try makeFolder(folder)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var names: [String] = []
        for drop in 0 ..< 4 {
            try folder.write("drop/incoming/calls.yaml", "drop \(drop)\n")
            let claim = try #require(spool.claim("calls.yaml"))
            try folder.write("drop/processing/calls.yaml.results.ndjson", "results \(drop)\n")
            try folder.write("drop/processing/calls.yaml.summary.json", "summary \(drop)\n")
            names.append(try #require(spool.finish(claim, failed: false, now: now)))
        }
        #expect(Set(names).count == 4)
        #expect(names[0] == "calls.yaml")
        for (drop, name) in names.enumerated() {
            #expect(folder.read("drop/done/" + name) == "drop \(drop)\n")
            #expect(folder.read("drop/done/" + name + ".results.ndjson") == "results \(drop)\n")
            #expect(folder.read("drop/done/" + name + ".summary.json") == "summary \(drop)\n")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("drop/processing")).isEmpty)
    }

    @Test func aClaimedFileIsLockedUntilItsClaimIsGone() throws {
        let folder = try TestFolder()
        let spool = try makeFolder(folder)
        try folder.write("drop/incoming/a.yaml", "a\n")
        var claim = spool.claim("a.yaml")
        #expect(claim != nil)
        #expect(spool.claim("a.yaml") == nil)
        #expect(spool.inProcessing() == ["a.yaml"])
        // Its claimer is at work: nobody takes it over.
        #expect(spool.takeOver("a.yaml") == nil)
        claim = nil
        // Its claimer is gone (crashed, killed): the next pass takes it over.
        let taken = spool.takeOver("a.yaml")
        #expect(taken?.resumed == true)
        #expect(taken?.path == folder.path("drop/processing/a.yaml"))
    }

    @Test func aFileStrandedInProcessingIsTakenOver() throws {
        let folder = try TestFolder()
        let spool = try makeFolder(folder)
        try folder.write("drop/processing/left.yaml", "left\n")
        try folder.write("drop/processing/left.yaml.results.ndjson", "{}\n")
        try folder.write("drop/processing/left.yaml.summary.json", "{}\n")
        // A job's summary beside it is no job; a job that happens to be named so is.
        try folder.write("drop/processing/nightly.summary.json", "{}\n")
        #expect(spool.inProcessing() == ["left.yaml", "nightly.summary.json"])
        let claim = try #require(spool.takeOver("left.yaml"))
        #expect(spool.finish(claim, failed: false) == "left.yaml")
        #expect(folder.read("drop/done/left.yaml.results.ndjson") == "{}\n")
    }

    @Test func symbolicLinksInIncomingAreRefusedAndNeverFollowed() throws {
        let folder = try TestFolder()
        let spool = try makeFolder(folder)
        let secret = try folder.write("secret.yaml", "not yours\n")
        try FileManager.default.createSymbolicLink(
            atPath: folder.path("drop/incoming/link.yaml"),
            withDestinationPath: secret
        )
        try FileManager.default.createDirectory(
            atPath: folder.path("drop/incoming/dir.yaml"),
            withIntermediateDirectories: true
        )
        try folder.write("drop/incoming/real.yaml", "real\n")

        let listing = spool.list(settle: 0, now: Date().addingTimeInterval(60))

        #expect(listing.settled == ["real.yaml"])
        #expect(listing.refused == ["dir.yaml", "link.yaml"])
        #expect(spool.claim("link.yaml") == nil)
        #expect(folder.read("secret.yaml") == "not yours\n")
        #expect(!FileManager.default.fileExists(atPath: folder.path("drop/processing/link.yaml")))
    }

    @Test func namesInMessagesAreEscaped() {
        #expect(SpoolFolder.quoted("a\nb.yaml") == #""a\nb.yaml""#)
        #expect(SpoolFolder.quoted("bell\u{7}.yaml") == #""bell\u0007.yaml""#)
        #expect(!SpoolFolder.quoted("x\r\ny.yaml").contains("\n"))
    }
}
