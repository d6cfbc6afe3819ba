import FenxiaoTesting
import Foundation
import PropertyBased
import Testing

@testable import Replication

@Suite struct JSONValueTests {
    static func decode(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let json = RandomJSON.foundationSafe
    static func randomString(_ rng: inout SplitMix64) -> String { json.string(&rng) }
    static func randomValue(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue { json.value(&rng, depth: depth) }

    @Test(arguments: [
        (JSONValue.null, "null"),
        (.bool(true), "true"),
        (.bool(false), "false"),
        (.int(0), "0"),
        (.int(-1999), "-1999"),
        (.int(Int64.max), "9223372036854775807"),
        (.int(Int64.min), "-9223372036854775808"),
        (.string(""), #""""#),
        (.string("TEA-01"), #""TEA-01""#),
        (.string("say \"hi\""), #""say \"hi\"""#),
        (.string(#"C:\tea"#), #""C:\\tea""#),
        (.string("a\nb\rc\td"), #""a\nb\rc\td""#),
        (.string("\u{01}\u{1F}"), #""\u0001\u001f""#),
        (.string("a/b 茶 🍵 \u{7F}"), "\"a/b 茶 🍵 \u{7F}\""),
        (.array([]), "[]"),
        (.array([1, "x", nil, true]), #"[1,"x",null,true]"#),
        (.object([:]), "{}"),
        (.object(["b": 1, "a": .object(["z": 2, "y": .array([3])])]), #"{"a":{"y":[3],"z":2},"b":1}"#),
    ])
    func canonicalTextIsMinimalAndSorted(value: JSONValue, expected: String) throws {
        #expect(value.canonicalText == expected)
        #expect(try Self.decode(expected) == value)
    }

    @Test func objectKeysSortByUTF8Bytes() {
        let value = JSONValue.object(["b": 1, "a": 2, "B": 3, "é": 4, "aa": 5, "": 6, "z": 7])
        #expect(value.canonicalText == #"{"":6,"B":3,"a":2,"aa":5,"b":1,"z":7,"é":4}"#)
    }

    /// Swift's `String <` compares canonical (NFC) scalars; canonical text must use the raw bytes,
    /// so a decomposed "e\u{301}" (bytes 65 CC 81) sorts before "f" (66).
    @Test func decomposedKeysSortByTheirBytesNotTheirNormalizedForm() {
        let value = JSONValue.object(["f": 1, "e\u{301}": 2])
        #expect(value.canonicalText == "{\"e\u{301}\":2,\"f\":1}")
    }

    @Test func keysAreEscapedLikeValues() {
        #expect(JSONValue.object(["a\"b": 1, "\n": 2]).canonicalText == #"{"\n":2,"a\"b":1}"#)
    }

    @Test func fieldsCanonicalTextMatchesObject() {
        let fields: Fields = ["phone": "13800000000", "level": 2, "vip": true]
        #expect(fields.canonicalText == JSONValue.object(fields).canonicalText)
        #expect(fields.canonicalText == #"{"level":2,"phone":"13800000000","vip":true}"#)
    }

    @Test func integersDecodeAsIntegersNotBooleans() throws {
        #expect(try Self.decode("1") == .int(1))
        #expect(try Self.decode("0") == .int(0))
        #expect(try Self.decode("true") == .bool(true))
        #expect(try Self.decode(#""1""#) == .string("1"))
        #expect(try Self.decode("null") == .null)
    }

    @Test(arguments: [
        "1.5", "-0.01", "[1.5]", #"{"price":12.5}"#, "1e-3", "9223372036854775808", "-9223372036854775809",
    ])
    func rejectsFloatsAndOutOfRangeNumbers(text: String) {
        #expect(throws: DecodingError.self) { try Self.decode(text) }
    }

    @Test func accessorsReturnOnlyTheirCase() {
        let s: JSONValue = "x"
        let i: JSONValue = 5
        let b: JSONValue = true
        #expect(s.stringValue == "x" && s.intValue == nil)
        #expect(i.intValue == 5 && i.stringValue == nil)
        #expect(b.boolValue == true && b.intValue == nil)
        #expect(JSONValue.object(["a": 1]).objectValue == ["a": 1])
        #expect(JSONValue.array([1]).arrayValue == [1])
        #expect(JSONValue.null.isNull && !i.isNull)
    }

    /// Random values survive canonical text → JSONDecoder, and JSONEncoder → JSONDecoder, and the
    /// canonical text of the decoded value is byte-identical.
    @Test func canonicalTextRoundTripsThroughJSONDecoder() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let value = Self.randomValue(&rng)
            let text = value.canonicalText
            let decoded = try Self.decode(text)
            #expect(decoded == value, "seed \(seed): \(text)")
            #expect(decoded.canonicalText == text, "seed \(seed)")
            let encoded = try JSONEncoder().encode(value)
            #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == value, "seed \(seed)")
        }
    }

    /// The serialization as it was written before the byte writer: `String` appends, escapes per
    /// Unicode scalar. The byte writer must give the same bytes for every value (hashes and the
    /// wire depend on them).
    static func reference(_ value: JSONValue) -> String {
        func string(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return string(s)
        case .array(let items): return "[" + items.map(reference).joined(separator: ",") + "]"
        case .object(let fields):
            let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return "{" + keys.map { string($0) + ":" + reference(fields[$0, default: .null]) }.joined(separator: ",")
                + "}"
        }
    }

    @Test func byteWriterGivesTheReferenceBytes() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let value = Self.randomValue(&rng)
            let expected = Self.reference(value)
            #expect(value.canonicalText == expected, "seed \(seed)")
            var appended = "prefix:"
            value.write(into: &appended)
            #expect(appended == "prefix:" + expected, "seed \(seed)")
            let text = Self.randomString(&rng)
            var quoted = ""
            JSONValue.writeString(text, into: &quoted)
            #expect(quoted == Self.reference(.string(text)), "seed \(seed)")
        }
    }
}
