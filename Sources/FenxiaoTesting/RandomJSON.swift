import Replication

/// Random `JSONValue`s for the JSON property tests: one generator, two alphabets.
///
/// `.foundationSafe` keeps to characters Foundation's `JSONDecoder` round-trips (the value
/// tests compare against it); `.parserStress` adds every escape, control character,
/// non-BMP scalar and long string the strict parser must handle.
public struct RandomJSON: Sendable {
    /// The characters strings are made of.
    public let alphabet: [String]
    /// How deep arrays and objects nest.
    public let maxDepth: Int
    /// How many elements an array or object holds at most.
    public let maxWidth: Int
    /// How many characters a string holds at most (besides the occasional long one).
    public let maxStringLength: Int
    /// Whether one string in twenty is a long run (16–300 characters).
    public let longStrings: Bool
    /// Whether integers reach the whole `Int64` range (otherwise ±1,000,000 and the extremes).
    public let fullIntRange: Bool

    /// Characters Foundation's `JSONDecoder` round-trips exactly.
    public static let foundationSafe = RandomJSON(
        alphabet: [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}",
            "茶", "é", "🍵", "\u{2028}",
        ],
        maxDepth: 3, maxWidth: 4, maxStringLength: 6, longStrings: false, fullIntRange: false)

    /// Everything the strict parser must accept: escapes, controls, non-BMP, combining marks.
    public static let parserStress = RandomJSON(
        alphabet: [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1F}",
            "\u{7F}", "\u{80}", "é", "茶", "🍵", "\u{2028}", "\u{FFFF}", "\u{10FFFF}", "e\u{301}",
        ],
        maxDepth: 4, maxWidth: 5, maxStringLength: 8, longStrings: true, fullIntRange: true)

    /// A random string over the alphabet.
    public func string(_ rng: inout SplitMix64) -> String {
        if longStrings, rng.chance(5) { return String(repeating: "长", count: rng.int(16...300)) }
        return (0..<rng.int(0...maxStringLength)).map { _ in rng.pick(alphabet) }.joined()
    }

    /// A random value: scalars at every depth, containers until `maxDepth`.
    public func value(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch rng.int(0...(depth < maxDepth ? 6 : 3)) {
        case 0: return .null
        case 1: return .bool(rng.chance(50))
        case 2: return .int(integer(&rng))
        case 3: return .string(string(&rng))
        case 4: return .array((0..<rng.int(0...maxWidth)).map { _ in value(&rng, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<rng.int(0...maxWidth) { object[string(&rng)] = value(&rng, depth: depth + 1) }
            return .object(object)
        }
    }

    private func integer(_ rng: inout SplitMix64) -> Int64 {
        guard fullIntRange else {
            return rng.chance(10) ? rng.pick([Int64.min, Int64.max, 0, -1]) : rng.int64(-1_000_000...1_000_000)
        }
        if rng.chance(15) { return rng.pick([Int64.min, Int64.max, Int64.min + 1, Int64.max - 1, 0, -1, 1]) }
        return rng.chance(50) ? rng.int64(-1000...1000) : rng.int64(Int64.min...Int64.max)
    }
}
