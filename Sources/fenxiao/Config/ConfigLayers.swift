import ArgumentParser
import Foundation

/// Where a setting comes from, first match wins: the flag, then the environment
/// (`FENXIAO_SERVER_PORT`), then the config file, then the command's default. Every value
/// goes through the flag's own parser, so `sync.every = "2s"` is refused as `--sync-every 2s` is.
struct ConfigLayers {
    let file: ConfigFile?
    let environment: [String: String]

    /// The file named by `--config` (or `$FENXIAO_CONFIG`), else `DATA/fenxiao.toml` if it
    /// exists, else none.
    static func load(
        config: String?, dataDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ConfigLayers {
        let named = config ?? environment["FENXIAO_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = named ?? (dataDirectory as NSString).appendingPathComponent("fenxiao.toml")
        guard let data = FileManager.default.contents(atPath: path) else {
            if named != nil { throw ValidationError("config file \(path) cannot be read") }
            return ConfigLayers(file: nil, environment: environment)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("config file \(path) is not UTF-8 text")
        }
        do {
            return ConfigLayers(file: try ConfigFile(text, path: path), environment: environment)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The value of `key` (a ``ConfigSchema`` name): `flag` if given, else the environment,
    /// else the file; nil when none sets it.
    func value<T: ExpressibleByArgument>(_ key: String, flag: T?, as type: T.Type = T.self) throws -> T? {
        if let flag { return flag }
        let variable = ConfigSchema.environmentName(key)
        if let text = environment[variable], !text.isEmpty {
            guard let value = T(argument: text) else {
                throw ValidationError("\(variable)=\(text) is not valid (\(ConfigSchema.keys[key]?.help ?? key))")
            }
            return value
        }
        if let file, let (entry, line) = file[key] {
            guard let value = T(argument: entry.argument) else {
                throw ValidationError(
                    "\(file.path):\(line): `\(key)` = \(entry.argument) is not valid (\(ConfigSchema.keys[key]?.help ?? key))"
                )
            }
            return value
        }
        return nil
    }
}

/// `--config PATH` of `serve` and `sync`.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help:
            "A fenxiao.toml (default $FENXIAO_CONFIG, else DATA/fenxiao.toml if present); flags and FENXIAO_… variables override it."
    )
    var path: String?
}
