import FenxiaoTesting
import Foundation
import Spawn
import Testing

/// The children our tests and benchmarks start: they hold none of the parent's descriptors
/// beyond stdin, stdout and stderr, and their ends (exit status, signal) are reported as they were.
@Suite struct SpawnedProcessTests {
    @Test func aChildInheritsNoDescriptorAboveStderr() throws {
        let dir = TempDirectory("spawn-fds")
        defer { dir.remove() }
        var pipeEnds: [Int32] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)  // not close-on-exec: Foundation's Pipe() makes such ones
        defer { for fd in pipeEnds { close(fd) } }
        let listing = dir.sub("fds")
        let ended = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"], stdout: .file(listing)
        ).waitUntilExit(timeout: 30)
        #expect(ended == .exited(0))
        let fds = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(Set(fds) == [0, 1, 2], "the child holds \(fds); the parent's pipe is \(pipeEnds)")
    }

    /// A parent that ignores a signal (a service group ignores SIGTERM to handle it itself) does
    /// not pass that on: the child dies of it.
    @Test func aChildStartsWithEverySignalAtItsDefault() throws {
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        let child = try SpawnedProcess(executable: "/bin/sh", arguments: ["-c", "kill -USR2 $$; exit 3"])
        #expect(child.waitUntilExit(timeout: 30) == .signalled(SIGUSR2))
    }

    @Test func exitStatusesAndSignalsAreReported() throws {
        let exiting = try SpawnedProcess(executable: "/bin/sh", arguments: ["-c", "exit 7"])
        #expect(exiting.waitUntilExit(timeout: 30) == .exited(7))
        let sleeper = try SpawnedProcess(executable: "/bin/sleep", arguments: ["30"])
        #expect(sleeper.isRunning)
        sleeper.signal(SIGKILL)
        #expect(sleeper.waitUntilExit() == .signalled(SIGKILL))
        #expect(!sleeper.isRunning)
        #expect(throws: SpawnError.self) { try SpawnedProcess(executable: "/nonexistent/fenxiao", arguments: []) }
    }
}
