import Foundation
import Spawn

/// Runs this same `fenxiao` binary as a child process and collects its JSON answer.
struct ChildProcess {
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    let process: SpawnedProcess
    /// Where the child's stdout goes (read by ``result(_:)``, then removed).
    let outputPath = NSTemporaryDirectory() + "fenxiao-bench-\(UUID().uuidString.prefix(12)).out"

    /// Starts `fenxiao ARGS`, with `environment` added to this process's.
    init(_ args: [String], environment: [String: String] = [:]) throws {
        process = try SpawnedProcess(
            executable: Self.executable, arguments: args,
            environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
            stdout: .file(outputPath), stderr: .inherit)
    }

    var pid: Int32 { process.pid }

    /// Waits for the child and decodes its stdout as `T`.
    func result<T: Decodable>(_ type: T.Type) throws -> T {
        let ended = process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        guard ended == .exited(0) else {
            throw BenchError("`\(process.commandLine.joined(separator: " "))` ended with \(ended)")
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: outputPath)))
    }
}

extension ChildProcess {
    /// `fenxiao serve` on a free loopback port for the node in `data`; returns it with its port
    /// once it listens (bounded wait). `portFile` is where it writes the port; `extraArgs` go to `serve`.
    static func serve(
        data: String, portFile: String, environment: [String: String] = [:], extraArgs: [String] = []
    ) throws -> (ChildProcess, Int) {
        try? FileManager.default.removeItem(atPath: portFile)
        let server = try ChildProcess(
            ["serve", "--data", data, "--port", "0", "--port-file", portFile, "--max-body-mb", "64"] + extraArgs,
            environment: environment)
        for _ in 0..<500 {
            if let port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap({
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }) {
                return (server, port)
            }
            usleep(20_000)
        }
        server.stop()
        throw BenchError("central did not start")
    }

    /// Stops a server started by ``serve(data:portFile:environment:extraArgs:)`` and waits for it.
    func stop() {
        process.signal(SIGTERM)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
