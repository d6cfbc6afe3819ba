import Commerce
import Foundation
import Node
import Replication
import Storage

/// Ready-made nodes for tests: a central node with a small catalog, and stores.
public enum Fixtures {
    /// A central node in `dir` with TEA-01 (¥12.50), BUN-01 (¥3.50), MUG-01 (¥45.00).
    public static func central(in dir: TempDirectory) throws -> FenxiaoNode {
        let node = try FenxiaoNode.initialize(directory: dir.sub("central"), node: "central", role: .central)
        try node.upsertCatalog([
            CatalogItem(sku: "TEA-01", name: "Green tea", price: "12.50", category: "Drinks/Tea"),
            CatalogItem(sku: "BUN-01", name: "Pork bun", price: "3.50", category: "Food/Buns"),
            CatalogItem(sku: "MUG-01", name: "Mug", price: "45.00", category: "Homeware"),
        ])
        return node
    }

    /// A store node that already holds central's changes (applied directly, as a pull would).
    public static func store(_ name: String, in dir: TempDirectory, from central: FenxiaoNode) throws -> FenxiaoNode {
        let node = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
        let changes = try central.read { r in try r.changesForPull(node: node.identity.node, after: 0, limit: 100_000).changes }
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

    /// Runs `fenxiao ARGS` to completion (bounded by `timeout` seconds).
    public static func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 60) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FENXIAO_HOME")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return Output(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A `fenxiao serve` child process on 127.0.0.1 with an ephemeral port.
public final class ServerProcess: @unchecked Sendable {
    // @unchecked: the Process is only touched from the test that owns it.
    public let process: Process
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }

    public init(data: String, extraArgs: [String] = []) throws {
        let portFile = data + "/port-\(UUID().uuidString.prefix(6))"
        process = Process()
        process.executableURL = URL(fileURLWithPath: FenxiaoBinary.path)
        process.arguments = ["serve", "--data", data, "--port", "0", "--port-file", portFile] + extraArgs
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<500 {  // bounded: 10 s
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let p = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                found = p
                break
            }
            usleep(20_000)
        }
        guard let found else {
            process.terminate()
            throw NodeError(.storage, "fenxiao serve did not start")
        }
        port = found
    }

    /// SIGTERM and wait.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// SIGKILL: a crash.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
