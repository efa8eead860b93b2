import Foundation
import Testing

@testable import OutdialCore

struct JobLockTests {
    @Test func secondRunIsRefusedNamingTheRunningPid() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        let first = try JobLock.acquire(job: "nightly", in: directory, command: "outdial run nightly.yaml")
        #expect(throws: RecordingError.jobLocked(job: "nightly", holder: "pid \(getpid()) outdial run nightly.yaml")) {
            _ = try JobLock.acquire(job: "nightly", in: directory, command: "outdial run again.yaml")
        }
        _ = first
    }

    @Test func releasedLockCanBeTakenAgain() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        do {
            _ = try JobLock.acquire(job: "nightly", in: directory, command: "first")
        }
        let second = try JobLock.acquire(job: "nightly", in: directory, command: "second")
        #expect(second.job == "nightly")
    }

    @Test func staleLockFileOfADeadProcessDoesNotBlock() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        try "pid 999999 outdial run old.yaml\n".write(
            toFile: directory.lockPath(job: "nightly"),
            atomically: false,
            encoding: .utf8
        )
        let lock = try JobLock.acquire(job: "nightly", in: directory, command: "outdial run new.yaml")
        let text = try String(contentsOfFile: lock.path, encoding: .utf8)
        #expect(text == "pid \(getpid()) outdial run new.yaml\n")
    }

    @Test func lockHeldByAnotherProcessIsRefused() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        let path = directory.lockPath(job: "nightly")
        try "pid 4242 outdial run other.yaml\n".write(toFile: path, atomically: false, encoding: .utf8)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // The child holds the lock until its standard input closes.
        holder.arguments = ["-n", path, "-c", "echo locked; exec cat"]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        // Wait for the child to say it holds the lock (a blocking read, not a sleep).
        let said = output.fileHandleForReading.readData(ofLength: 7)
        #expect(String(decoding: said, as: UTF8.self) == "locked\n")
        #expect(throws: RecordingError.jobLocked(job: "nightly", holder: "pid 4242 outdial run other.yaml")) {
            _ = try JobLock.acquire(job: "nightly", in: directory, command: "outdial run")
        }
    }

    @Test func jobJournalsRefuseAJobAlreadyRunning() throws {
        let directory = try RecordingFixtures.temporaryStateDirectory()
        let running = try JobJournals(jobs: ["a", "b"], in: directory, command: "outdial run a b")
        #expect(throws: RecordingError.self) {
            _ = try JobJournals(jobs: ["b"], in: directory, command: "outdial run b")
        }
        _ = running
    }
}
