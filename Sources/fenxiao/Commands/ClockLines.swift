import Foundation
import Node
import Storage

/// The clock lines of `fenxiao status`: a store's offset from central, or every store's
/// offset at central, flagged when beyond the maximum offset.
enum ClockLines {
    static func text(_ s: NodeStatus) -> String {
        let bound = s.max_clock_offset_ms ?? 300_000
        func flag(_ offset: Int64) -> String {
            offset.magnitude > bound.magnitude ? "  ← beyond the \(bound / 60_000) min bound: set that clock right" : ""
        }
        if let offset = s.clock_offset_ms {
            return "\nclock:           \(ClockOffset.describe(offset)) of central\(flag(offset))"
        }
        guard let stores = s.store_clock_offsets_ms, !stores.isEmpty else { return "" }
        return "\nstore clocks:"
            + stores.sorted { $0.key < $1.key }.map {
                "\n  \($0.key): \(ClockOffset.describe($0.value))\(flag($0.value))"
            }
            .joined()
    }
}

/// Reads a token without putting it on the command line (`join`).
enum TokenInput {
    /// From `--token` (discouraged, with a warning), a file (`-`: standard input), or standard
    /// input (no echo at a terminal).
    static func read(option: String?, file: String?) throws -> String {
        if option != nil && file != nil {
            throw fail(NodeError(.invalidInput, "give either --token or --token-file, not both"))
        }
        let raw: String
        if let option {
            FileHandle.standardError.write(
                Data(
                    "warning: a token on the command line is visible in shell history and `ps`; prefer --token-file or standard input\n"
                        .utf8))
            raw = option
        } else if let file, file != "-" {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail(
                    NodeError(.invalidInput, "cannot read --token-file \(file); check the path and its permissions"))
            }
            raw = String(decoding: data, as: UTF8.self)
        } else if isatty(0) != 0 {
            guard let typed = getpass("central token: ") else { throw fail(NodeError(.invalidInput, "no token typed")) }
            raw = String(cString: typed)
        } else {
            raw = readLine(strippingNewline: true) ?? ""
        }
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.count <= 256, !token.contains(where: { $0.isWhitespace }) else {
            throw fail(
                NodeError(
                    .invalidInput,
                    "the token is empty or malformed; paste the token `fenxiao enroll` printed (on standard input or in --token-file)"
                ))
        }
        return token
    }
}
