import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where log lines go: standard error (one `write(2)` per line, so lines from several threads
/// never interleave), or memory (tests read back what a server logged).
public final class LogSink: Sendable {
    enum Target { case standardError, memory }
    let target: Target
    private let buffer = NIOLockedValueBox<[String]>([])

    init(_ target: Target) { self.target = target }

    /// Standard error, where `serve` and `sync --watch` log (systemd's journal keeps it).
    public static let standardError = LogSink(.standardError)

    /// A sink that keeps every line in memory (``lines``).
    public static func memory() -> LogSink { LogSink(.memory) }

    /// The lines written so far (memory sinks only; empty for standard error).
    public var lines: [String] { buffer.withLockedValue { $0 } }

    func write(_ line: String) {
        switch target {
        case .memory:
            buffer.withLockedValue { $0.append(line) }
        case .standardError:
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = raw.baseAddress.map { writeStandardError($0 + offset, raw.count - offset) } ?? -1
                    if n <= 0 { return }  // stderr closed: nothing more we can do with a log line
                    offset += n
                }
            }
        }
    }
}

private func writeStandardError(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(2, bytes, count)
    #else
        Darwin.write(2, bytes, count)
    #endif
}
