/// How `serve` and `sync --watch` write their log lines on standard error (`--log-format`).
///
/// `json` is one object per line for a log shipper (`{"ts":…,"level":…,"msg":…, metadata…}`);
/// `text` is for a person reading a terminal or `journalctl`. Both carry an ISO-8601 UTC
/// timestamp with milliseconds.
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text
}
