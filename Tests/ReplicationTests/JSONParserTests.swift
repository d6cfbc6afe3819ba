import FenxiaoTesting
import Foundation
import Testing

@testable import Replication

@Suite struct JSONParserTests {
    typealias F = Fixture

    static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(Array(text.utf8))
    }

    static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    /// The error for `bytes`, or nil when they parse.
    static func failure(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONParser().parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Random values

    static let json = RandomJSON.parserStress
    static func randomString(_ rng: inout SplitMix64) -> String { json.string(&rng) }
    static func randomValue(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue { json.value(&rng, depth: depth) }

    /// Whitespace a strict parser must accept between tokens.
    static func randomSpace(_ rng: inout SplitMix64) -> String {
        rng.chance(60) ? "" : (0..<rng.int(1...3)).map { _ in rng.pick([" ", "\n", "\r", "\t"]) }.joined()
    }

    /// `value` serialized with random whitespace between tokens and random (but valid) escapes.
    static func spacedText(_ value: JSONValue, _ rng: inout SplitMix64) -> String {
        var out = ""
        func string(_ s: String) {
            out += "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "/" where rng.chance(50): out += "\\/"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 || rng.chance(20) {
                        for unit in String(scalar).utf16 {
                            let hex = String(unit, radix: 16, uppercase: rng.chance(50))
                            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                        }
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
        }
        func write(_ v: JSONValue) {
            out += randomSpace(&rng)
            switch v {
            case .null, .bool, .int: out += v.canonicalText
            case .string(let s): string(s)
            case .array(let items):
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += "," }
                    write(item)
                }
                out += randomSpace(&rng) + "]"
            case .object(let fields):
                out += "{"
                for (i, (key, item)) in fields.enumerated() {
                    if i > 0 { out += "," }
                    out += randomSpace(&rng)
                    string(key)
                    out += randomSpace(&rng) + ":"
                    write(item)
                }
                out += randomSpace(&rng) + "}"
            }
            out += randomSpace(&rng)
        }
        write(value)
        return out
    }

    static func randomRecord(_ rng: inout SplitMix64, seq: Int64) -> ChangeRecord {
        var fields: Fields = [:]
        for _ in 0..<rng.int(0...10) { fields[randomString(&rng)] = randomValue(&rng, depth: 1) }
        var context = VersionVector()
        for node in F.nodes where rng.chance(40) { context.record(origin: node, seq: rng.int64(0...1_000_000)) }
        let entity = randomString(&rng)
        return ChangeRecord(
            origin: rng.pick(F.nodes), seq: seq, hlc: HLC(rawValue: rng.int64(Int64.min...Int64.max)),
            kind: rng.pick(EntityKind.sorted), entity: entity.isEmpty ? "E" : entity,
            op: rng.chance(20) ? .transition : .upsert, fields: fields, context: context,
            scope: rng.chance(50) ? .global : .node(rng.pick(F.nodes)))
    }

    // MARK: Round trips

    @Test func canonicalTextRoundTrips() throws {
        for seed in 0..<2000 {
            var rng = SplitMix64(seed: seed)
            let value = Self.randomValue(&rng)
            let text = value.canonicalText
            let parsed = try Self.parse(text)
            #expect(parsed == value, "seed \(seed): \(text)")
            #expect(parsed.canonicalText == text, "seed \(seed)")
        }
    }

    @Test func whitespaceAndOptionalEscapesRoundTrip() throws {
        for seed in 0..<2000 {
            var rng = SplitMix64(seed: seed)
            let value = Self.randomValue(&rng)
            let text = Self.spacedText(value, &rng)
            #expect(try Self.parse(text) == value, "seed \(seed): \(text)")
        }
    }

    @Test func agreesWithJSONDecoderOnValidInput() throws {
        for seed in 0..<1000 {
            var rng = SplitMix64(seed: seed)
            let value = Self.randomValue(&rng)
            let pretty = JSONEncoder()
            pretty.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            for text in [
                value.canonicalText, Self.spacedText(value, &rng),
                try String(decoding: JSONEncoder().encode(value), as: UTF8.self),
                try String(decoding: pretty.encode(value), as: UTF8.self),
            ] {
                let ours = try Self.parse(text)
                let theirs = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                #expect(ours == theirs, "seed \(seed): \(text)")
            }
        }
    }

    @Test func overloadsAgree() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let text = Self.randomValue(&rng).canonicalText
            let bytes = Array(text.utf8)
            let viaArray = try JSONParser().parse(bytes)
            let viaBuffer = try bytes.withUnsafeBytes { try JSONParser().parse($0) }
            let viaString = try JSONParser().parse(text)
            #expect(viaArray == viaBuffer && viaArray == viaString)
        }
    }

    @Test func changeRecordsRoundTripThroughCanonicalJSON() throws {
        for seed in 0..<500 {
            var rng = SplitMix64(seed: seed)
            let record = Self.randomRecord(&rng, seq: rng.int64(Int64.min...Int64.max))
            let decoded = try ChangeRecord(json: Self.parse(record.canonicalJSON))
            #expect(decoded == record, "seed \(seed): \(record.canonicalJSON)")
            #expect(decoded.canonicalJSON == record.canonicalJSON)
            #expect(try JSONDecoder().decode(ChangeRecord.self, from: Data(record.canonicalJSON.utf8)) == decoded)
        }
    }

    @Test func batchesAndPullPagesAgreeWithJSONDecoder() throws {
        for seed in 0..<50 {
            var rng = SplitMix64(seed: seed)
            let changes = (0..<rng.int(0...40)).map { Self.randomRecord(&rng, seq: Int64($0 + 1)) }
            let push = Array(SyncWire.PushRequest.encode(changes).utf8)
            let decoded = try ChangeRecord.decodeBatch(push)
            #expect(decoded == changes, "seed \(seed)")
            #expect(decoded.map(\.canonicalFields) == changes.map(\.fields.canonicalText), "seed \(seed)")
            #expect(try JSONDecoder().decode(SyncWire.PushRequest.self, from: Data(push)).changes == changes)
            #expect(try push.withUnsafeBytes { try ChangeRecord.decodeBatch($0) } == changes)
            let encoded = try JSONEncoder().encode(SyncWire.PushRequest(changes: changes))
            #expect(try ChangeRecord.decodeBatch(Array(encoded)) == changes)

            let more = rng.chance(50)
            let pull = Array(SyncWire.PullResponse.encode(changes, cursor: "\(seed * 1000)", more: more).utf8)
            let page = try ChangeRecord.decodePullPage(pull)
            let reference = try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(pull))
            #expect(page.changes == reference.changes && page.changes == changes)
            #expect(page.cursor == reference.cursor && page.cursor == "\(seed * 1000)")
            #expect(page.more == reference.more && page.more == more)
        }
    }

    /// A decoded change carries its fields' canonical text, worked out outside the write lock;
    /// it is not part of the change's identity, and a change of the fields replaces it.
    @Test func aDecodedChangeKeepsItsCanonicalFieldsUntilTheFieldsChange() throws {
        var decoded = try ChangeRecord(json: Self.parse(ChangeRecordTests.sampleCanonical))
        #expect(decoded.canonicalFields == ChangeRecordTests.sample.fields.canonicalText)
        #expect(decoded == ChangeRecordTests.sample && decoded.hashValue == ChangeRecordTests.sample.hashValue)
        decoded.fields["note"] = .string("changed")
        #expect(decoded.canonicalFields == decoded.fields.canonicalText)
        #expect(decoded.canonicalFields.contains("changed"))
        #expect(decoded != ChangeRecordTests.sample)
    }

    @Test func theSampleRecordDecodes() throws {
        let decoded = try ChangeRecord(json: Self.parse(ChangeRecordTests.sampleCanonical))
        #expect(decoded == ChangeRecordTests.sample)
    }

    // MARK: Scalars

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("7", 7), ("-1999", -1999), ("9223372036854775807", Int64.max),
        ("-9223372036854775808", Int64.min), ("-9223372036854775807", Int64.min + 1), (" 42 ", 42),
        ("1000000000000000000", 1_000_000_000_000_000_000),
    ])
    func integers(text: String, expected: Int64) throws {
        #expect(try Self.parse(text) == .int(expected))
    }

    @Test(arguments: [
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999999999", "-99999999999999999999999", "1.5", "-0.01", "1.0", "0.0", "1e3", "1E3",
        "1e-3", "-1E+2", "0e0", "[1.5]", #"{"price":12.5}"#, "1.", "1.e3",
    ])
    func nonIntegersAndOverflowAreRefusedWithTheMoneyMessage(text: String) {
        let error = Self.failure(Array(text.utf8))
        #expect(error?.message == "numbers must be integers that fit in 64 bits (money is in fen)", "\(text)")
    }

    @Test func numberErrorsPointAtTheNumber() {
        #expect(Self.failure(Array(#"{"a": 12.5}"#.utf8))?.offset == 6)
        #expect(Self.failure(Array("[1, 9223372036854775808]".utf8))?.offset == 4)
    }

    @Test(arguments: [
        (#""\u00e9""#, "é"), (#""\u00E9""#, "é"), (#""\u8336""#, "茶"), (#""\ud83c\udf75""#, "🍵"),
        (#""\uD83C\uDF75""#, "🍵"), (#""\udbff\udfff""#, "\u{10FFFF}"), (#""\ud800\udc00""#, "\u{10000}"),
        (#""\u0000""#, "\u{0}"), (#""\u001f""#, "\u{1F}"), (#""\uffff""#, "\u{FFFF}"), (#""\u2028""#, "\u{2028}"),
        (#""a\/b""#, "a/b"), (#""\"\\\b\f\n\r\t""#, "\"\\\u{08}\u{0C}\n\r\t"), (#""x\u0041y""#, "xAy"),
        (#""tea \ud83c\udf75 茶""#, "tea 🍵 茶"), ("\"e\u{301}\"", "e\u{301}"), (#""""#, ""),
    ])
    func unicodeEscapesAndRawUTF8(text: String, expected: String) throws {
        let parsed = try Self.parse(text)
        #expect(parsed == .string(expected))
        // Same scalars, not merely canonically equivalent strings.
        #expect(parsed.stringValue.map { Array($0.unicodeScalars) } == Array(expected.unicodeScalars))
    }

    @Test func literals() throws {
        #expect(try Self.parse("true") == .bool(true))
        #expect(try Self.parse("false") == .bool(false))
        #expect(try Self.parse("null") == .null)
        #expect(try Self.parse(" \t\r\n[ true , false , null ] \n") == .array([true, false, nil]))
        #expect(
            try Self.parse(#"{"a":{},"b":[],"c":[[]]}"#)
                == .object(["a": .object([:]), "b": .array([]), "c": .array([.array([])])]))
    }

    // MARK: Invalid input

    @Test(arguments: [
        // Structure.
        "", " ", "\n", "{", "}", "[", "]", "[1,]", "[,1]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}",
        "{\"a\" 1}", "{a:1}", "{'a':1}", "['a']", "{\"a\":1 \"b\":2}", "[1]]", "{}}", "{} {}", "1 2", "[1] x",
        "nul", "nulls", "tru", "True", "NULL", "undefined", "NaN", "Infinity", "-Infinity", "+1", "-", "--1",
        "- 1", "01", "-01", "00", "0x10", ".5", "\"abc", "\"abc\\", "\"\\", "[\"a\",", "{\"a\":1", "\u{FEFF}1",
        "/* */ 1", "1 // c", "\u{0B}1", "\u{0C}1", "\u{A0}1",
        // Strings: control characters, escapes, surrogates.
        "\"a\u{0}b\"", "\"\u{1}\"", "\"\t\"", "\"\n\"", "\"\u{1F}\"", "\"\\x41\"", "\"\\U0041\"", "\"\\u41\"",
        "\"\\u004\"", "\"\\u00zz\"", "\"\\a\"", "\"\\'\"", "\"\\ \"", "\"\\u\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\udfff\"", "\"a\\uDE00b\"", "\"\\udbff\"",
        "\"\\udfff\\ud800\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\ud800\\\"", "\"\\ud800\\n\"",
        "\"\\ud83c\\ud83c\"", "\"\\ud83c\\udf7\"",
        // Duplicate keys.
        "{\"a\":1,\"a\":1}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"x\":{\"a\":1,\"\\u0061\":2}}",
    ])
    func invalidTextIsRefused(text: String) {
        #expect(Self.failure(Array(text.utf8)) != nil, "accepted \(text.debugDescription)")
    }

    @Test(
        arguments: [
            // Bytes that are never UTF-8, truncated sequences, overlong forms, surrogates, > U+10FFFF.
            [0x22, 0xFF, 0x22], [0x22, 0xFE, 0x22], [0x22, 0x80, 0x22], [0x22, 0xBF, 0x22], [0x22, 0xC3, 0x22],
            [0x22, 0xC0, 0x80, 0x22], [0x22, 0xC1, 0xBF, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22],
            [0x22, 0xE0, 0x9F, 0xBF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xED, 0xBF, 0xBF, 0x22],
            [0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], [0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
            [0x22, 0xE8, 0x8C, 0x22], [0x22, 0xF0, 0x9F, 0x8D, 0x22], [0x22, 0xE8, 0x8C], [0x22, 0xC3],
            [0x22, 0xE8, 0x41, 0xB6, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22],
            // Non-ASCII outside strings.
            [0xC3, 0xA9], [0x5B, 0xE8, 0x8C, 0xB6, 0x5D],
        ] as [[UInt8]])
    func invalidUTF8IsRefused(bytes: [UInt8]) {
        #expect(Self.failure(bytes) != nil, "accepted \(bytes)")
    }

    @Test func validUTF8BoundariesAreAccepted() throws {
        for scalar: UInt32 in [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF] {
            let s = String(UnicodeScalar(scalar).map(Character.init) ?? "?")
            #expect(
                try Self.parse(bytes: [0x22] + Array(s.utf8) + [0x22]) == .string(s), "U+\(String(scalar, radix: 16))")
        }
    }

    @Test func errorsCarryTheOffsetAndAClearMessage() {
        let cases: [(String, Int, String)] = [
            ("", 0, "empty input"),
            ("[1,]", 3, "expected a JSON value"),
            ("[1] x", 4, "after the JSON value"),
            ("{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""),
            ("01", 0, "leading zeros"),
            ("\"a\u{1}\"", 2, "control character"),
            ("\"ab\\q\"", 3, "invalid escape"),
            ("\"\\ud800\"", 1, "lone surrogate"),
            ("\"\\udc00\"", 1, "lone surrogate"),
            ("{\"a\" 1}", 5, "expected ':'"),
            ("[1", 2, "unexpected end of input"),
            ("\"abc", 4, "unterminated string"),
        ]
        for (text, offset, fragment) in cases {
            let error = Self.failure(Array(text.utf8))
            #expect(error?.offset == offset, "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.message.contains(fragment) == true, "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.description.hasPrefix("invalid JSON at byte \(offset): ") == true)
        }
        #expect(Self.failure([0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D])?.offset == 3)
    }

    // MARK: Depth

    @Test func depthLimit() throws {
        let limit = JSONParser.defaultMaxDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try Self.parse(deepest).canonicalText == deepest)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(Self.failure(Array(tooDeep.utf8))?.message.contains("nesting deeper than \(limit)") == true)
        let objects = String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        #expect(Self.failure(Array(objects.utf8))?.offset == 5 * limit)
        // Hostile depth fails cleanly instead of exhausting the stack.
        #expect(Self.failure(Array(repeating: UInt8(ascii: "["), count: 1_000_000)) != nil)
        // The limit is configurable.
        #expect(throws: JSONParseError.self) { try JSONParser(maxDepth: 2).parse("[[[]]]") }
        #expect(try JSONParser(maxDepth: 3).parse("[[[]]]") == .array([.array([.array([])])]))
    }

    // MARK: Change records

    static let sampleObject: [String: JSONValue] = {
        guard case .object(let o) = (try? parse(ChangeRecordTests.sample.canonicalJSON)) ?? .null else { return [:] }
        return o
    }()

    static func recordError(_ object: [String: JSONValue]) -> ChangeRecordJSONError? {
        do {
            _ = try ChangeRecord(json: .object(object))
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("origin", JSONValue.string("bad id"), "origin: invalid node id \"bad id\""),
        ("origin", .string(""), "origin: invalid node id \"\""),
        ("origin", .int(1), "origin: expected a string, found a number"),
        ("seq", .string("7"), "seq: expected an integer, found a string"),
        ("hlc", .null, "hlc: expected an integer, found null"),
        ("kind", .string("warp_drive"), "kind: unknown entity kind \"warp_drive\""),
        ("entity", .string(""), "entity: must not be empty"),
        ("entity", .array([]), "entity: expected a string, found an array"),
        ("op", .string("delete"), "op: unknown op \"delete\" (expected \"upsert\", \"transition\" or \"void\")"),
        ("fields", .array([]), "fields: expected an object, found an array"),
        ("fields", .null, "fields: expected an object, found null"),
        ("ctx", .object(["store-a": -1]), "ctx.store-a: negative seq -1"),
        ("ctx", .object(["bad id": 1]), "ctx: invalid node id \"bad id\""),
        ("ctx", .object(["store-a": "1"]), "ctx.store-a: expected an integer, found a string"),
        ("ctx", .array([]), "ctx: expected an object, found an array"),
        ("scope", .string("everywhere"), "scope: invalid scope \"everywhere\" (expected \"global\" or \"node:ID\")"),
        ("scope", .string("node:bad id"), "scope: invalid scope \"node:bad id\" (expected \"global\" or \"node:ID\")"),
    ])
    func recordsWithBadFieldsAreRefused(key: String, bad: JSONValue, expected: String) {
        var object = Self.sampleObject
        #expect(object[key] != nil)
        object[key] = bad
        #expect(Self.recordError(object)?.description == expected)
        // JSONDecoder refuses the same records, except for the one stricter rule (empty entity).
        if !(key == "entity" && bad == "") {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(ChangeRecord.self, from: Data(JSONValue.object(object).canonicalText.utf8))
            }
        }
    }

    @Test(arguments: ["origin", "seq", "hlc", "kind", "entity", "op", "fields", "scope"])
    func everyFieldButCtxIsRequired(key: String) {
        var object = Self.sampleObject
        object[key] = nil
        #expect(Self.recordError(object)?.description == "\(key): missing")
    }

    @Test func ctxMayBeAbsentOrNullAndZeroEntriesDrop() throws {
        var object = Self.sampleObject
        object["ctx"] = nil
        #expect(try ChangeRecord(json: .object(object)).context == VersionVector())
        object["ctx"] = .null
        #expect(try ChangeRecord(json: .object(object)).context == VersionVector())
        object["ctx"] = .object(["store-a": 0, "store-b": 5])
        let record = try ChangeRecord(json: .object(object))
        #expect(record.context == VersionVector([F.storeB: 5]))
        let reference = try JSONDecoder().decode(
            ChangeRecord.self, from: Data(JSONValue.object(object).canonicalText.utf8))
        #expect(record == reference)
    }

    @Test func unknownKeysAreIgnoredLikeJSONDecoder() throws {
        var object = Self.sampleObject
        object["future"] = .array([1, 2])
        #expect(try ChangeRecord(json: .object(object)) == ChangeRecordTests.sample)
    }

    @Test func nonObjectsAreNotRecords() {
        #expect(Self.recordError([:])?.description == "origin: missing")
        do {
            _ = try ChangeRecord(json: .array([]))
            Issue.record("accepted an array")
        } catch {
            #expect(error.description == "expected a change object, found an array")
        }
    }

    static func batchError(_ text: String) -> String? {
        do {
            _ = try ChangeRecord.decodeBatch(Array(text.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func batchErrorsNameTheChangeAndTheField() {
        let good = ChangeRecordTests.sample.canonicalJSON
        var bad = Self.sampleObject
        bad["kind"] = "bogus"
        let badText = JSONValue.object(bad).canonicalText
        #expect(
            Self.batchError("{\"changes\":[\(good),\(good),\(badText)]}")
                == "changes[2].kind: unknown entity kind \"bogus\"")
        #expect(Self.batchError("{\"changes\":[\(good),5]}") == "changes[1]: expected a change object, found a number")
        #expect(Self.batchError("{\"changes\":5}") == "changes: expected an array, found a number")
        #expect(Self.batchError("{\"change\":[]}") == "changes: missing")
        #expect(Self.batchError("[]") == "expected an object with a \"changes\" array, found an array")
        #expect(Self.batchError("{") == "invalid JSON at byte 1: unexpected end of input: expected a string key")
        #expect(Self.batchError("{\"changes\":[]}") == nil)
        #expect(Self.batchError("{\"changes\":[],\"extra\":1}") == nil)
        // The end-to-end test's junk bodies.
        #expect(Self.batchError(#"{"changes":[{"origin":"s1","seq":1,"kind":"bogus"}]}"#) == "changes[0].hlc: missing")
        #expect(
            Self.batchError(#"{"changes":[{"origin":"s1","seq":1.5e300}]}"#)
                == "invalid JSON at byte 33: numbers must be integers that fit in 64 bits (money is in fen)")
    }

    @Test func pullPagesNeedACursorStringAndAMoreBoolean() throws {
        func error(_ text: String) -> String? {
            do {
                _ = try ChangeRecord.decodePullPage(Array(text.utf8))
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(error(#"{"changes":[],"more":false}"#) == "cursor: missing")
        #expect(error(#"{"changes":[],"cursor":12,"more":false}"#) == "cursor: expected a string, found a number")
        #expect(error(#"{"changes":[],"cursor":"12"}"#) == "more: missing")
        #expect(error(#"{"changes":[],"cursor":"12","more":"yes"}"#) == "more: expected a boolean, found a string")
        #expect(error(#"{"cursor":"12","more":true}"#) == "changes: missing")
        let page = try ChangeRecord.decodePullPage(Array(#"{"changes":[],"cursor":"12","more":true}"#.utf8))
        #expect(page.changes.isEmpty && page.cursor == "12" && page.more)
    }
}
