import Commerce
import Foundation
import Node
import Replication
import Spawn
import Storage

/// Ready-made nodes for tests: a central node with a small catalog, and stores.
public enum Fixtures {
    /// A central node in `dir` with TEA-01 (¥12.50), BUN-01 (¥3.50), MUG-01 (¥45.00).
    /// With `database`, central keeps its log in that PostgreSQL database (docs/POSTGRES.md).
    public static func central(in dir: TempDirectory, database: String? = nil) throws -> FenxiaoNode {
        let node =
            try database.map { try FenxiaoNode.initializeShared(directory: dir.sub("central"), url: $0) }
            ?? FenxiaoNode.initialize(directory: dir.sub("central"), node: "central", role: .central)
        try node.catalog.upsert([
            CatalogItem(sku: "TEA-01", name: "Green tea", price: Money(cents: 1250), category: "Drinks/Tea"),
            CatalogItem(sku: "BUN-01", name: "Pork bun", price: Money(cents: 350), category: "Food/Buns"),
            CatalogItem(sku: "MUG-01", name: "Mug", price: Money(cents: 4500), category: "Homeware"),
        ])
        return node
    }

    /// A store node that already holds central's changes (applied directly, as a pull would).
    public static func store(_ name: String, in dir: TempDirectory, from central: FenxiaoNode) throws -> FenxiaoNode {
        let node = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
        let changes = try central.read { r in
            try r.changesForPull(node: node.identity.node, after: 0, limit: 100_000).changes
        }
        _ = try node.store.applyPull(changes, cursor: 0)
        return node
    }
}

/// Finds and runs the `fenxiao` executable built next to the test bundle.
public enum FenxiaoBinary {
    public static var path: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("fenxiao").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/fenxiao"
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        }
    }

    /// Runs `fenxiao ARGS` to completion (bounded by `timeout` seconds: then it is killed).
    /// Its output goes through files, so a chatty stderr cannot block it.
    public static func run(
        _ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 60, stdin: String? = nil
    ) throws -> Output {
        let base = NSTemporaryDirectory() + "fenxiao-run-\(UUID().uuidString.prefix(12))"
        let (inPath, outPath, errPath) = (base + ".in", base + ".out", base + ".err")
        defer { for path in [inPath, outPath, errPath] { try? FileManager.default.removeItem(atPath: path) } }
        if let stdin { try Data(stdin.utf8).write(to: URL(fileURLWithPath: inPath)) }
        let child = try SpawnedProcess(
            executable: path, arguments: args, environment: childEnvironment(environment),
            stdin: stdin == nil ? .null : .file(inPath), stdout: .file(outPath), stderr: .file(errPath))
        let status: Int32 =
            switch child.waitUntilExit(timeout: timeout) {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        let read = { (p: String) in FileManager.default.contents(atPath: p).map { String(decoding: $0, as: UTF8.self) }
        }
        return Output(status: status, stdout: read(outPath) ?? "", stderr: read(errPath) ?? "")
    }

    /// This process's environment without `FENXIAO_HOME`, plus `extra`: what a child `fenxiao` gets.
    public static func childEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FENXIAO_HOME")
        for (k, v) in extra { env[k] = v }
        return env
    }
}

/// A `fenxiao serve` child process on 127.0.0.1 with an ephemeral port.
public final class ServerProcess: Sendable {
    public let process: SpawnedProcess
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }

    /// `openFileLimit` runs the server under `ulimit -n N` (descriptor exhaustion tests);
    /// `port` 0 picks a free one (give the old port to restart a server where clients expect it).
    public init(data: String, extraArgs: [String] = [], openFileLimit: Int? = nil, port fixedPort: Int = 0) throws {
        let portFile = data + "/port-\(UUID().uuidString.prefix(6))"
        let serve = ["serve", "--data", data, "--port", String(fixedPort), "--port-file", portFile] + extraArgs
        process =
            if let openFileLimit {
                try SpawnedProcess(
                    executable: "/bin/sh",
                    arguments: ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", FenxiaoBinary.path] + serve,
                    stderr: .null)
            } else {
                try SpawnedProcess(executable: FenxiaoBinary.path, arguments: serve, stderr: .null)
            }
        var found: Int?
        for _ in 0..<500 where process.isRunning {  // bounded: 10 s
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let p = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                found = p
                break
            }
            usleep(20_000)
        }
        guard let found else {
            process.signal(SIGKILL)
            process.waitUntilExit()
            throw NodeError(.storage, "fenxiao serve did not start")
        }
        port = found
    }

    /// SIGTERM and wait.
    public func stop() {
        process.signal(SIGTERM)
        process.waitUntilExit()
    }

    /// SIGKILL: a crash.
    public func kill() {
        process.signal(SIGKILL)
        process.waitUntilExit()
    }
}

/// A store selling (and, with `syncEvery` > 0, syncing) in a child
/// `fenxiao debug sell-stream`, for tests that kill it with -9. Its stdout goes to a file, so
/// every line it printed before dying can be read after its death: a printed order id is an
/// order the child had committed.
public final class StoreProcess: Sendable {
    public let process: SpawnedProcess
    /// Where the child's stdout goes (its stderr goes to the same path plus `.err`).
    public let outputPath: String

    /// Starts selling one SKU (three lines of one unit per order) in the store in `data`.
    /// `environment` is added to the child's (e.g. `FENXIAO_CLOCK_SKEW_MS`).
    public init(
        data: String, sku: String, count: Int = 1_000_000, syncEvery: Int = 0, pauseMillis: Int = 0,
        syncTimeoutMillis: Int = 2000, environment: [String: String] = [:], output: String
    ) throws {
        outputPath = output
        guard FileManager.default.createFile(atPath: output, contents: nil),
            FileManager.default.createFile(atPath: output + ".err", contents: nil)
        else { throw NodeError(.storage, "cannot create \(output)") }
        process = try SpawnedProcess(
            executable: FenxiaoBinary.path,
            arguments: [
                "debug", "sell-stream", "--data", data, "--sku", sku, "--count", String(count), "--sync-every",
                String(syncEvery), "--pause-ms", String(pauseMillis), "--sync-timeout-ms", String(syncTimeoutMillis),
            ],
            environment: FenxiaoBinary.childEnvironment(environment), stdout: .file(output),
            stderr: .file(output + ".err"))
    }

    /// Complete lines the child has printed so far (a line cut by a kill is not counted).
    public var lines: [String] {
        guard let data = FileManager.default.contents(atPath: outputPath) else { return [] }
        var parts = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        parts.removeLast()  // the text after the last newline: empty, or a line the kill cut short
        return parts.map(String.init)
    }

    /// The ids of the orders it printed (committed).
    public var orderIDs: [String] { lines.filter { !$0.isEmpty && !$0.hasPrefix("#") } }

    /// Syncs it reported as completed and as failed.
    public var syncs: (ok: Int, failed: Int) {
        let l = lines
        return (l.filter { $0.hasPrefix("# sync ok") }.count, l.filter { $0.hasPrefix("# sync failed") }.count)
    }

    /// What it wrote on stderr (why it stopped, if it stopped on its own).
    public var errorOutput: String {
        FileManager.default.contents(atPath: outputPath + ".err").map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Waits, bounded by `timeout` seconds, until it has printed at least `n` order ids;
    /// false if it did not (timed out, or the child is gone).
    public func waitForOrders(_ n: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if orderIDs.count >= n { return true }
            if !process.isRunning { return orderIDs.count >= n }
            usleep(10_000)
        }
        return false
    }

    /// SIGKILL (a crash at whatever point it is) and wait. Returns whether it was still
    /// running, i.e. whether the kill really interrupted it.
    @discardableResult
    public func kill() -> Bool {
        let running = process.isRunning
        process.signal(SIGKILL)
        return running && process.waitUntilExit() == .signalled(SIGKILL)
    }
}

/// Runs `body` with the fixture central node in a fresh directory, removed afterwards.
public func withCentral<T>(_ label: String = "fx", _ body: (FenxiaoNode, TempDirectory) throws -> T) throws -> T {
    try withTempDirectory(label) { dir in try body(Fixtures.central(in: dir), dir) }
}

/// Central's backend in tests that run on both: one SQLite file, or its log in a PostgreSQL
/// the test starts (docs/POSTGRES.md).
public enum CentralBackend: String, Sendable, CaseIterable {
    case sqlite, postgres
}

/// Runs `body` with the fixture central node on `backend` (with a throwaway PostgreSQL cluster
/// for `.postgres`) in a fresh directory; both are removed afterwards.
public func withCentral<T>(
    _ label: String, backend: CentralBackend, _ body: (FenxiaoNode, TempDirectory) throws -> T
) throws -> T {
    let pg = backend == .postgres ? try PostgresCluster(label) : nil
    defer { pg?.remove() }
    return try withTempDirectory(label) { dir in try body(Fixtures.central(in: dir, database: pg?.url), dir) }
}

/// Async `body` with the fixture central node on `backend` (see the synchronous one).
public func withCentral<T>(
    _ label: String, backend: CentralBackend, _ body: (FenxiaoNode, TempDirectory) async throws -> T
) async throws -> T {
    let pg = backend == .postgres ? try PostgresCluster(label) : nil
    defer { pg?.remove() }
    return try await withTempDirectory(label) { dir in try await body(Fixtures.central(in: dir, database: pg?.url), dir)
    }
}

/// Runs async `body` with the fixture central node in a fresh directory, removed afterwards.
public func withCentral<T>(
    _ label: String = "fx", _ body: (FenxiaoNode, TempDirectory) async throws -> T
) async throws -> T {
    try await withTempDirectory(label) { dir in try await body(Fixtures.central(in: dir), dir) }
}

extension Fixtures {
    /// Enrolls each of `names` at `central` and creates its store node in `dir`, joined to the
    /// central served at `url` (not yet synced), keyed by name.
    public static func joinedStores(_ names: [String], central: FenxiaoNode, in dir: TempDirectory, url: String)
        throws -> [String: FenxiaoNode]
    {
        var stores: [String: FenxiaoNode] = [:]
        for n in names {
            let token = try central.sync.enroll(node: n, warehouses: [])
            let node = try FenxiaoNode.initialize(directory: dir.sub(n), node: n, role: .store)
            try node.store.setMeta(["central_url": url, "token": token])
            stores[n] = node
        }
        return stores
    }
}
