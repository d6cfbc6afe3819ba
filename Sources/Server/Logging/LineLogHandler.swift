import Commerce
import Foundation
import Logging
import Replication

/// swift-log's handler for `serve` and `sync --watch`: one line per event, JSON or text
/// (``LogFormat``), each with an ISO-8601 UTC timestamp, the level, the message and the
/// metadata. Bootstrapped once by the CLI (`LoggingSystem.bootstrap`); tests build a `Logger`
/// with it and a memory ``LogSink`` instead, so several servers in one process keep their
/// lines apart.
///
/// JSON lines put the metadata beside `ts`, `level`, `label` and `msg` (a key that would
/// shadow one of those is written with a leading `_`); integers and booleans stay numbers and
/// booleans, so `jq 'select(.status >= 400)'` works.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let format: LogFormat
    let sink: LogSink

    public init(label: String, format: LogFormat, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    /// A logger writing through this handler (tests, and `serve` before bootstrap).
    public static func logger(
        label: String = "fenxiao", format: LogFormat, level: Logger.Level = .info, sink: LogSink = .standardError
    ) -> Logger {
        Logger(label: label) { label in LineLogHandler(label: label, format: format, level: level, sink: sink) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        sink.write(line(level: event.level, message: event.message.description, metadata: all, at: Date()))
    }

    /// The line for one event (tests check the shape without a clock).
    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, at date: Date) -> String {
        let ts = ISOTimestamp.string(date)
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            var out = "\(ts) \(level.rawValue.uppercased()) \(label): \(message)"
            for key in keys {
                guard let value = metadata[key] else { continue }
                out += " \(key)=\(Self.text(value))"
            }
            return out
        case .json:
            var out = #"{"ts":"\#(ts)","level":"\#(level.rawValue)","label":\#(JSONText.quote(label)),"#
            out += #""msg":\#(JSONText.quote(message))"#
            for key in keys {
                guard let value = metadata[key] else { continue }
                let name = ["ts", "level", "label", "msg"].contains(key) ? "_" + key : key
                out += ",\(JSONText.quote(name)):\(Self.json(value))"
            }
            return out + "}"
        }
    }

    /// A value as `key=value` text: quoted when it holds a space, a quote or `=`.
    static func text(_ value: Logger.Metadata.Value) -> String {
        let plain: String
        switch value {
        case .string(let s): plain = s
        case .stringConvertible(let c): plain = c.description
        case .array(let items): plain = "[" + items.map { text($0) }.joined(separator: ",") + "]"
        case .dictionary(let d):
            plain =
                "{" + d.keys.sorted().compactMap { k in d[k].map { "\(k)=\(text($0))" } }.joined(separator: ",") + "}"
        }
        let needsQuotes = plain.isEmpty || plain.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? JSONText.quote(plain) : plain
    }

    /// A value as JSON: numbers and booleans as such, everything else a string.
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return JSONText.quote(s)
        case .stringConvertible(let c):
            switch c {
            case let b as Bool: return b ? "true" : "false"
            case is Int, is Int64, is Int32, is UInt, is UInt64: return c.description
            case let d as Double where d.isFinite: return c.description
            default: return JSONText.quote(c.description)
            }
        case .array(let items): return "[" + items.map { json($0) }.joined(separator: ",") + "]"
        case .dictionary(let d):
            return "{"
                + d.keys.sorted().compactMap { k in d[k].map { "\(JSONText.quote(k)):\(json($0))" } }
                .joined(separator: ",") + "}"
        }
    }
}

/// JSON string quoting for log lines: the change log's own string writer (control characters
/// escaped, UTF-8 kept as it is).
enum JSONText {
    static func quote(_ s: String) -> String {
        var out = ""
        JSONValue.writeString(s, into: &out)
        return out
    }
}

/// `2026-12-02T15:50:01.123Z`, computed by hand (no `DateFormatter` on every log line).
enum ISOTimestamp {
    static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, inDay) = CivilDate.split(millis)
        let h = inDay / 3_600_000, mi = inDay / 60_000 % 60, s = inDay / 1000 % 60, ms = inDay % 1000
        let pad = CivilDate.pad
        return CivilDate(days: days).text + "T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}
