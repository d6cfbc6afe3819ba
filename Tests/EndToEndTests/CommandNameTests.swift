import Foundation
import Testing

/// Every command names itself. Without `commandName`, argument-parser derives each name with
/// `String(describing: Self.self)` while it builds the command tree at every start, and those
/// reflective casts scan the binary's protocol conformances: 40 % of a short command's CPU
/// (measured with `perf record` on `fenxiao status`; start-up 55 → 32 ms), paid by every
/// `fenxiao sync` and cron job.
@Suite struct CommandNameTests {
    static let cli = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/fenxiao")

    /// The text of each `CommandConfiguration(…)` call, with its file.
    static func configurations() throws -> [(file: String, call: String)] {
        let files =
            FileManager.default.enumerator(at: cli, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        var calls: [(String, String)] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = text[...]
            while let start = rest.range(of: "CommandConfiguration(") {
                var depth = 1
                var end = start.upperBound
                while depth > 0, end < rest.endIndex {
                    if rest[end] == "(" { depth += 1 } else if rest[end] == ")" { depth -= 1 }
                    end = rest.index(after: end)
                }
                calls.append((file.lastPathComponent, String(rest[start.lowerBound..<end])))
                rest = rest[end...]
            }
        }
        return calls
    }

    @Test func everyCommandConfigurationNamesItsCommand() throws {
        let calls = try Self.configurations()
        #expect(calls.count > 100)
        let unnamed = calls.filter { !$0.call.contains("commandName:") }
        #expect(unnamed.isEmpty, "give these a commandName: \(unnamed.map { "\($0.file): \($0.call.prefix(80))" })")
    }
}
