import Foundation
import Spawn

/// A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, `pg_ctl` on a free
/// loopback port, trust authentication for the `fenxiao` role, removed by `remove()`. Needs
/// Debian's `postgresql` (the Makefile installs it); a missing server is an error, never a skip.
/// As root (CI), the server runs as the `postgres` system user, which `initdb` requires.
public final class PostgresCluster: @unchecked Sendable {
    public let root: String
    public let port: Int
    public var url: String { url(database: "fenxiao") }
    /// The URL of another database on this cluster (made with `CREATE DATABASE`).
    public func url(database: String) -> String { "postgres://fenxiao@127.0.0.1:\(port)/\(database)" }
    let bin: String
    var data: String { root + "/data" }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ label: String = "pg") throws {
        bin = try Self.binDirectory()
        root = NSTemporaryDirectory() + "fenxiao-pg-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        port = try Self.freePort()
        if getuid() == 0 { try Self.run(["/bin/chown", "postgres:postgres", root]) }
        try runAsServer([bin + "/initdb", "-D", data, "-A", "trust", "-U", "fenxiao", "-E", "UTF8", "--no-sync"])
        try start()
        try runAsServer([bin + "/createdb", "-h", "127.0.0.1", "-p", String(port), "-U", "fenxiao", "fenxiao"])
    }

    /// A streaming standby of `primary` (`pg_basebackup -R`), started, on its own free port.
    /// ``makeStandbysSynchronous()`` on the primary then makes every commit wait for it.
    public init(standbyOf primary: PostgresCluster, label: String = "standby") throws {
        bin = primary.bin
        root = NSTemporaryDirectory() + "fenxiao-pg-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        port = try Self.freePort()
        if getuid() == 0 { try Self.run(["/bin/chown", "postgres:postgres", root]) }
        try runAsServer([
            bin + "/pg_basebackup", "-h", "127.0.0.1", "-p", String(primary.port), "-U", "fenxiao", "-D", data, "-R",
            "-X", "stream", "-c", "fast", "--no-sync",
        ])
        try start()
    }

    deinit { remove() }

    /// Every commit on this primary waits until a standby has it (`synchronous_standby_names`).
    public func makeStandbysSynchronous() throws {
        try runAsServer([
            bin + "/psql", "-h", "127.0.0.1", "-p", String(port), "-U", "fenxiao", "-d", "fenxiao", "-v",
            "ON_ERROR_STOP=1", "-c", "ALTER SYSTEM SET synchronous_standby_names = '*'", "-c",
            "SELECT pg_reload_conf()",
        ])
    }

    /// Kills the server with SIGKILL (no shutdown: what is not committed is lost, as in a crash).
    public func kill9() throws {
        let text = try String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)
        guard let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw Failure(description: "no server pid in \(data)/postmaster.pid")
        }
        // The whole server at once, as a crash of its machine: the postmaster is stopped first
        // (so it restarts nothing), then every backend and helper, then the postmaster.
        guard kill(pid, SIGSTOP) == 0 else { throw Failure(description: "cannot stop the server (pid \(pid))") }
        for child in Self.children(of: pid) { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        for _ in 0..<500 where Foundation.kill(pid, 0) == 0 { usleep(10_000) }  // bounded: 5 s
    }

    /// The processes whose parent is `pid` (from `/proc/N/stat`).
    static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let n = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "(comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == pid ? n : nil
        }
    }

    /// `pg_dump` of the `fenxiao` database into `file` (custom format), as a DBA backs it up.
    public func dump(to file: String) throws {
        try runAsServer([
            bin + "/pg_dump", "-h", "127.0.0.1", "-p", String(port), "-U", "fenxiao", "-Fc", "-f", file, "fenxiao",
        ])
    }

    /// Replaces the `fenxiao` database with the dump `file` (dropped with its connections,
    /// created again, `pg_restore`d): the database as it was when the dump was taken.
    public func restore(from file: String) throws {
        let connection = ["-h", "127.0.0.1", "-p", String(port), "-U", "fenxiao"]
        try runAsServer([bin + "/dropdb"] + connection + ["--force", "fenxiao"])
        try runAsServer([bin + "/createdb"] + connection + ["fenxiao"])
        try runAsServer([bin + "/pg_restore"] + connection + ["-d", "fenxiao", file])
    }

    /// Promotes a standby to a primary (`pg_ctl promote`, waiting until it accepts writes).
    public func promote() throws {
        try runAsServer([bin + "/pg_ctl", "-D", data, "-w", "-t", "60", "promote"])
    }

    /// Starts the server (again) and waits until it accepts connections.
    public func start() throws {
        try runAsServer([
            bin + "/pg_ctl", "-D", data, "-l", root + "/server.log", "-w", "-t", "60", "-o",
            "-p \(port) -k \(root) -c listen_addresses=127.0.0.1", "start",
        ])
    }

    /// A clean shutdown (`pg_ctl stop -m fast`).
    public func stop() {
        _ = try? runAsServer([bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
    }

    /// Stops the server and removes its folder.
    public func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    func runAsServer(_ arguments: [String]) throws {
        try Self.run(getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments)
    }

    /// Debian keeps the server programs out of PATH: `pg_config --bindir`, else the newest
    /// `/usr/lib/postgresql/*/bin`.
    static func binDirectory() throws -> String {
        let fm = FileManager.default
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap { Int($0) }.sorted()
        for candidate in versions.reversed().map({ "/usr/lib/postgresql/\($0)/bin" })
        where fm.isExecutableFile(atPath: candidate + "/initdb") {
            return candidate
        }
        throw Failure(
            description:
                "PostgreSQL's server programs (initdb, pg_ctl) are missing: run `make deps` (it installs Debian's postgresql)"
        )
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a command to its end (`SpawnedProcess`, which waits with `waitpid`: Foundation's
    /// `Process` did not notice `runuser` exiting once `pg_ctl` had left a server behind). Its
    /// output goes to a file, shown when it fails.
    static func run(_ arguments: [String]) throws {
        let log = NSTemporaryDirectory() + "fenxiao-pg-run-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let ended = try SpawnedProcess(
            executable: arguments[0], arguments: Array(arguments.dropFirst()), stdout: .file(log), stderr: .file(log)
        ).waitUntilExit()
        guard ended == .exited(0) else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failure(description: "\(arguments.joined(separator: " ")) failed (\(ended)): \(text)")
        }
    }
}
