import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests' and the benchmarks' `fenxiao`
/// children.
///
/// Foundation's `Process.run()` on Linux sometimes crashes the *parent* (an over-read while it
/// lists `/proc/self/fd` to close inherited descriptors, swift-corelibs-foundation #5472); a test
/// run with many open files hit it in about one run in three. Here the child closes every
/// descriptor above stderr in the spawn itself (glibc's `addclosefrom_np`), so a child never holds
/// a test's sockets or database files open, and starts with every signal at its default and
/// unblocked, as `Process` does. Standard streams go to `/dev/null`, the parent's own,
/// or a file (appended, so stdout and stderr may share one); read a file after the child wrote it.
///
/// swift-subprocess would be the library for this, but its children live inside an `async`
/// closure, and our fixtures need a server that outlives the call that starts it and a
/// synchronous `run` used from hundreds of synchronous tests.
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked: the reaped status is guarded by `lock`; everything else is immutable.

    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable, Equatable {
        /// `/dev/null`.
        case null
        /// The parent's own descriptor.
        case inherit
        /// A file: read for stdin; created if missing and appended to for stdout and stderr.
        case file(String)
    }

    /// How a child ended.
    public enum Termination: Sendable, Equatable {
        /// It called exit with this status.
        case exited(Int32)
        /// A signal (e.g. `SIGKILL`) ended it.
        case signalled(Int32)
    }

    /// The child's process id.
    public let pid: pid_t
    /// The program and its arguments, for messages.
    public let commandLine: [String]
    private let lock = NSLock()
    private var ended: Termination?

    /// Starts `executable` with `arguments`. `environment` replaces the parent's when given.
    public init(
        executable: String, arguments: [String], environment: [String: String]? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .inherit
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .inherit: break
            case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                let flags = fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_APPEND
                posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0o644)
            }
        }
        let closing = fenxiao_spawn_closefrom(&actions, 3)
        guard closing == 0 else { throw SpawnError("cannot prepare \(executable): error \(closing)") }
        commandLine = [executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = commandLine.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { for e in envp ?? [] { free(e) } }
        // Every signal at its default and none blocked, whatever the parent set (a test process
        // that ran a service group ignores SIGTERM; a child that inherited that would not stop).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let spawned =
            if let envp {
                posix_spawn(&child, executable, &actions, &attributes, argv, envp)
            } else {
                posix_spawn(&child, executable, &actions, &attributes, argv, environ)
            }
        guard spawned == 0 else {
            throw SpawnError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        pid = child
    }

    /// How the child ended, or nil while it runs (reaps it if it has just ended).
    public var termination: Termination? {
        lock.withLock {
            if ended == nil { ended = Self.reap(pid, blocking: false) }
            return ended
        }
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { termination == nil }

    /// Blocks until the child ends and says how.
    @discardableResult
    public func waitUntilExit() -> Termination {
        lock.withLock {
            if let ended { return ended }
            let status = Self.reap(pid, blocking: true) ?? .exited(-1)
            ended = status
            return status
        }
    }

    /// Waits at most `seconds` for the child to end; SIGKILLs it if it has not, and says how it ended.
    @discardableResult
    public func waitUntilExit(timeout seconds: Double) -> Termination {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { usleep(5_000) }
        if isRunning { signal(SIGKILL) }
        return waitUntilExit()
    }

    /// Sends `signal` (SIGTERM by default) if the child still runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        if isRunning { kill(pid, signal) }
    }

    /// `waitpid` for `pid`, decoded; nil when not blocking and the child still runs.
    private static func reap(_ pid: pid_t, blocking: Bool) -> Termination? {
        var status: Int32 = 0
        var got: pid_t
        repeat { got = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while got == -1 && errno == EINTR
        guard got == pid else { return got == 0 ? nil : .exited(-1) }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}

/// A child that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
