import ArgumentParser
import Logging
import Server

/// `--log-format` and `--log-level` of the long-running commands (`serve`, `sync --watch`):
/// their lines go to standard error through swift-log, with a timestamp each.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "json (one object per line) or text (default text).")
    var format: LogFormat?

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical (default info: one line per request).")
    var level: Logger.Level?

    /// Bootstraps swift-log with ``LineLogHandler`` on standard error (once per process) and
    /// returns the logger the command uses.
    func bootstrap(format: LogFormat, level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format, level: level) }
        var logger = Logger(label: "fenxiao")
        logger.logLevel = level
        return logger
    }
}

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
