import Foundation

/// `fenxiao.toml`, read strictly: the small part of TOML a configuration needs and nothing
/// else, so a typo is an error that names its line rather than a setting silently ignored.
///
/// Accepted: `# comments`, `[section]` headers, `key = value` with a basic string (`"…"` with
/// `\"`, `\\`, `\n`, `\t`, `\uXXXX`), an integer (`8080`, `1_000`) or `true`/`false`.
/// Refused, each with its line: keys not in ``ConfigSchema`` (the known keys are listed), a
/// value of the wrong type, a key or section given twice, and the TOML this file does not need
/// (arrays, inline tables, floats, dates, dotted keys, multi-line and literal strings).
/// swift-configuration (1.4.0, the allowed version) reads JSON and YAML but not TOML, and
/// does not refuse unknown keys; TOMLKit would build toml++ (C++) for six sections.
struct ConfigFile: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)

        var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            }
        }

        /// The text an option would have been given (`8080`, `json`, `true`).
        var argument: String {
            switch self {
            case .string(let s): s
            case .integer(let n): String(n)
            case .boolean(let b): b ? "true" : "false"
            }
        }
    }

    /// Values by dotted name (`server.port`), with the line each came from.
    private(set) var values: [String: (value: Value, line: Int)] = [:]
    let path: String

    static func == (a: ConfigFile, b: ConfigFile) -> Bool {
        a.path == b.path && a.values.mapValues(\.value) == b.values.mapValues(\.value)
    }

    subscript(_ name: String) -> (value: Value, line: Int)? { values[name] }

    /// Parses `text` (read from `path`, named in errors) against ``ConfigSchema``.
    init(_ text: String, path: String) throws(ConfigError) {
        self.path = path
        var section: String?
        var sections: Set<String> = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            func fail(_ message: String) -> ConfigError { ConfigError("\(path):\(number): \(message)") }
            let line = Self.strippingComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw fail("a section header is [name] (arrays of tables are not used in fenxiao.toml)")
                }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                guard ConfigSchema.sections.contains(name) else {
                    throw fail(
                        "unknown section [\(name)]; known sections: \(ConfigSchema.sections.sorted().joined(separator: ", "))"
                    )
                }
                guard sections.insert(name).inserted else { throw fail("section [\(name)] appears twice") }
                section = name
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail("expected key = value or [section]") }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else { throw fail("key `\(key)` must be a bare name (letters, digits, _ or -; no dotted or quoted keys)") }
            guard let section else { throw fail("`\(key)` must be inside a section: \(ConfigSchema.sectionList)") }
            let name = "\(section).\(key)"
            guard let expected = ConfigSchema.keys[name] else {
                let known = ConfigSchema.keys.keys.filter { $0.hasPrefix(section + ".") }.sorted()
                    .map { String($0.dropFirst(section.count + 1)) }
                throw fail("unknown key `\(name)`; known in [\(section)]: \(known.joined(separator: ", "))")
            }
            let value: Value
            do {
                value = try Self.value(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            } catch { throw fail("`\(name)`: \(error.message)") }
            guard value.typeName == expected.type.typeName else {
                throw fail("`\(name)` must be \(expected.type.typeName) (\(expected.help)), not \(value.typeName)")
            }
            guard values[name] == nil else { throw fail("`\(name)` is set twice") }
            values[name] = (value, number)
        }
    }

    /// The line without a `#` comment (a `#` inside a string stays).
    static func strippingComment(_ line: String) -> String {
        var inString = false, escaped = false
        for (i, c) in zip(line.indices, line) {
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                return String(line[..<i])
            }
        }
        return line
    }

    static func value(_ text: String) throws(ConfigError) -> Value {
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if text.hasPrefix("\"\"\"") || text.hasPrefix("'") {
            throw ConfigError("multi-line and literal strings are not used in fenxiao.toml; write \"…\"")
        }
        if text.hasPrefix("\"") { return .string(try string(text)) }
        if text.hasPrefix("[") || text.hasPrefix("{") {
            throw ConfigError("arrays and inline tables are not used in fenxiao.toml")
        }
        var digits = text
        if digits.hasPrefix("+") || digits.hasPrefix("-") { digits.removeFirst() }
        let plain = digits.replacingOccurrences(of: "_", with: "")
        guard !plain.isEmpty, plain.allSatisfy(\.isASCII), plain.allSatisfy(\.isNumber), !digits.hasPrefix("_"),
            !digits.hasSuffix("_"), !digits.contains("__"), let n = Int(text.replacingOccurrences(of: "_", with: ""))
        else {
            throw ConfigError("`\(text)` is not a string in \"quotes\", an integer or true/false")
        }
        return .integer(n)
    }

    /// A basic string: `"…"` with the escapes TOML defines, nothing after the closing quote.
    static func string(_ text: String) throws(ConfigError) -> String {
        var out = ""
        var scalars = text.unicodeScalars.dropFirst().makeIterator()
        while let c = scalars.next() {
            switch c {
            case "\"":
                guard scalars.next() == nil else { throw ConfigError("text after the closing quote") }
                return out
            case "\\":
                switch scalars.next() {
                case "\"": out += "\""
                case "\\": out += "\\"
                case "n": out += "\n"
                case "t": out += "\t"
                case "u":
                    var hex = ""
                    for _ in 0..<4 { if let h = scalars.next() { hex.unicodeScalars.append(h) } }
                    guard hex.count == 4, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                        throw ConfigError("\\u needs four hex digits")
                    }
                    out.unicodeScalars.append(u)
                default: throw ConfigError("unknown escape in a string (use \\\", \\\\, \\n, \\t or \\uXXXX)")
                }
            default:
                guard c.value >= 0x20 || c == "\t" else { throw ConfigError("control character in a string") }
                out.unicodeScalars.append(c)
            }
        }
        throw ConfigError("string without its closing quote")
    }
}

/// A configuration that cannot be used: the file and line (or the variable) and what to fix.
struct ConfigError: Error, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
