import Foundation

/// A JSON document as the CLI prints it, read back once so instants can be shown as ISO 8601.
///
/// `CommonOptions.encode` encodes a value with snake_case keys, reads it back as this tree,
/// rewrites every instant (`withISOTimes`) and prints the tree with sorted keys.
enum OutputJSON: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([OutputJSON])
    case object([String: OutputJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([OutputJSON].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: OutputJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Every integer under a key ending in `_at` (an instant in ms since the epoch) becomes an
    /// ISO 8601 string with the node's UTC offset (`2026-11-01T09:30:00.000+08:00`), and the
    /// integer stays under `<key>_ms`. Keys written in camelCase inside stored values (a
    /// promotion's or coupon's `definition`: `minSpendCents`) print in snake_case too.
    func withISOTimes(offsetMillis: Int64) -> OutputJSON {
        switch self {
        case .array(let a):
            return .array(a.map { $0.withISOTimes(offsetMillis: offsetMillis) })
        case .object(let o):
            var out: [String: OutputJSON] = [:]
            for (name, value) in o {
                let key = Self.snakeCase(name)
                if key.hasSuffix("_at"), case .int(let ms) = value, o["\(key)_ms"] == nil {
                    out[key] = .string(Self.iso(ms, offsetMillis: offsetMillis))
                    out["\(key)_ms"] = .int(ms)
                } else {
                    out[key] = value.withISOTimes(offsetMillis: offsetMillis)
                }
            }
            return .object(out)
        default:
            return self
        }
    }

    /// `minSpendCents` → `min_spend_cents`. Only names that start with a lower-case letter and
    /// hold letters and digits alone change, so data keys such as SKUs (`TEA-01`) or node ids
    /// (`store-a`) are kept.
    static func snakeCase(_ name: String) -> String {
        guard let first = name.first, first.isLowercase, name.contains(where: \.isUppercase),
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return name }
        var out = ""
        for c in name {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `2026-11-01T09:30:00.000+08:00`: an instant at a fixed UTC offset, to the millisecond.
    static func iso(_ ms: Int64, offsetMillis: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(secondsFromGMT: Int(offsetMillis / 1000)) ?? TimeZone(secondsFromGMT: 0)
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
