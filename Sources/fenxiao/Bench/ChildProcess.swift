import Foundation

/// Runs this same `fenxiao` binary as a child process and collects its JSON answer.
struct ChildProcess {
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    let process = Process()
    let out = Pipe()

    init(_ args: [String]) throws {
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = args
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

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
