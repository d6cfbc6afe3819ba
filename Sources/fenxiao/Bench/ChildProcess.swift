import Foundation

/// Runs this same `fenxiao` binary as a child process and collects its JSON answer.
struct ChildProcess {
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    let process = Process()
    let out = Pipe()

    /// Starts `fenxiao ARGS`, with `environment` added to this process's.
    init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = args
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the child and decodes its stdout as `T`.
    func result<T: Decodable>(_ type: T.Type) throws -> T {
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError(
                "`fenxiao \(process.arguments?.joined(separator: " ") ?? "")` exited with \(process.terminationStatus)")
        }
        return try JSONDecoder().decode(T.self, from: data)
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
        if server.process.isRunning { server.process.terminate() }
        throw BenchError("central did not start")
    }

    /// Stops a server started by ``serve(data:portFile:environment:extraArgs:)`` and waits for it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
