import FenxiaoTesting
import Foundation
import Testing

@testable import Replication

/// The direct read of a push body (``ChangeRecord/directBatch(_:maxDepth:prepare:)``) against
/// the general one (a `JSONValue` tree, then ``ChangeRecord/init(json:)``): the same changes
/// and the same canonical fields for every body the general path accepts, and no result at
/// all for a body it refuses.
@Suite struct DirectBatchReadTests {
    typealias P = JSONParserTests

    /// What the general path makes of `bytes`: the changes, or nil when it refuses them.
    static func general(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> [ChangeRecord]? {
        guard let value = try? JSONParser(maxDepth: maxDepth).parse(bytes) else { return nil }
        return try? ChangeRecord.batch(from: value)
    }

    static func direct(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> [ChangeRecord]? {
        bytes.withUnsafeBytes { ChangeRecord.directBatch($0, maxDepth: maxDepth, prepare: { _ in }) }
    }

    /// A change as a JSON object value (what a sender may serialize any way it likes).
    static func object(_ change: ChangeRecord) throws -> JSONValue {
        try JSONParser().parse(change.canonicalJSON)
    }

    /// A body of `changes`, each written with random whitespace, key order and escapes.
    static func spacedBody(_ changes: [ChangeRecord], _ rng: inout SplitMix64) throws -> String {
        let items = try changes.map { P.spacedText(try object($0), &rng) }
        let space = { (rng: inout SplitMix64) in P.randomSpace(&rng) }
        return space(&rng) + "{" + space(&rng) + "\"changes\"" + space(&rng) + ":" + space(&rng) + "["
            + items.joined(separator: ",") + "]" + space(&rng) + "}" + space(&rng)
    }

    @Test func aCanonicalBodyIsReadDirectlyWithItsFieldsTextKept() throws {
        for seed in UInt64(1)...150 {
            var rng = SplitMix64(seed: seed)
            let changes = (0..<rng.int(0...30)).map { P.randomRecord(&rng, seq: Int64($0 + 1)) }
            let body = Array(SyncWire.PushRequest.encode(changes).utf8)
            let read = try #require(Self.direct(body), "seed \(seed)")
            #expect(read == changes, "seed \(seed)")
            #expect(read.map(\.canonicalFields) == changes.map(\.fields.canonicalText), "seed \(seed)")
            #expect(Self.general(body) == read, "seed \(seed)")
        }
    }

    /// Whitespace anywhere, keys in any order, optional escapes (`\/`, `\u00e9`), `-0`: still
    /// read directly, and the canonical fields are written anew, never the sender's bytes.
    @Test func anyValidSpellingReadsTheSameChangesAndCanonicalFields() throws {
        for seed in UInt64(1)...300 {
            var rng = SplitMix64(seed: seed)
            let changes = (0..<rng.int(1...12)).map { P.randomRecord(&rng, seq: Int64($0 + 1)) }
            var text = try Self.spacedBody(changes, &rng)
            if rng.chance(20) { text = text.replacingOccurrences(of: ":0", with: ":-0") }
            let body = Array(text.utf8)
            let general = try #require(Self.general(body), "seed \(seed): \(text)")
            let read = try #require(Self.direct(body), "seed \(seed): \(text)")
            #expect(read == general, "seed \(seed)")
            #expect(read.map(\.canonicalFields) == general.map(\.fields.canonicalText), "seed \(seed): \(text)")
        }
    }

    @Test func minusZeroEscapesOrderAndSpacesAreNotKeptAsCanonical() throws {
        var change = ChangeRecordTests.sample
        change.fields = ["a": .int(7)]
        let canonical = SyncWire.PushRequest.encode([change])
        #expect(canonical.contains(#""fields":{"a":7}"#))
        for fields in [
            #"{"a":-0}"#, #"{"a":"\/"}"#, #"{"a":"\u0041"}"#, #"{"b":1,"a":2}"#, #"{"a": 1}"#, #"{"a":[1 ]}"#,
        ] {
            let body = Array(
                canonical.replacingOccurrences(of: #""fields":{"a":7}"#, with: #""fields":"# + fields).utf8)
            let read = try #require(Self.direct(body), "\(fields)")
            #expect(read.first?.canonicalFields == read.first?.fields.canonicalText, "\(fields)")
            #expect(read.first?.canonicalFields != fields, "\(fields)")
            #expect(Self.general(body) == read, "\(fields)")
        }
    }

    /// Bodies the general path refuses (or reads differently) are never read directly: random
    /// cuts, inserted and deleted bytes, duplicate keys, wrong types, an empty entity, a
    /// second `changes`, trailing bytes.
    @Test func aBodyTheGeneralPathRefusesIsNotReadDirectly() throws {
        let edits: [(inout [UInt8], inout SplitMix64) -> Void] = [
            { body, rng in body.remove(at: rng.int(0...(body.count - 1))) },
            { body, rng in body.insert(rng.pick(Array(#"{}[]",:"\ 0-ax"#.utf8)), at: rng.int(0...body.count)) },
            { body, rng in body.removeLast(rng.int(1...min(body.count, 20))) },
            { body, _ in body += Array(" x".utf8) },
            { body, _ in body = Self.replacing(body, #""entity":"#, with: #""entity":"","entity":"#) },
            { body, _ in body = Self.replacing(body, #""seq":"#, with: #""seq":"1","x":"#) },
            { body, _ in body = Self.replacing(body, #""kind":""#, with: #""kind":"bogus","y":""#) },
            { body, _ in body = Self.replacing(body, #""fields":{"#, with: #""fields":{"q":1,"q":"#) },
            { body, _ in body = Self.replacing(body, #""fields":"#, with: #""fields":[],"z":"#) },
            { body, _ in body = Self.replacing(body, #""ctx":"#, with: #""ctx":{"s1":-1},"w":"#) },
            { body, _ in body = Self.replacing(body, #"{"changes":"#, with: #"{"changes":[],"changes":"#) },
            { body, _ in body = Self.replacing(body, #""scope":""#, with: #""scope":"nowhere","v":""#) },
            { body, _ in body = Self.replacing(body, #""origin":""#, with: #""origin":"not a node","u":""#) },
            { body, _ in body = Self.replacing(body, #""op":""#, with: #""op":"delete","t":""#) },
        ]
        var readDirectly = 0
        for seed in UInt64(1)...600 {
            var rng = SplitMix64(seed: seed)
            let changes = (0..<rng.int(1...4)).map { P.randomRecord(&rng, seq: Int64($0 + 1)) }
            var body = Array(SyncWire.PushRequest.encode(changes).utf8)
            for _ in 0..<rng.int(1...2) { rng.pick(edits)(&body, &rng) }
            let general = Self.general(body)
            let direct = Self.direct(body)
            if general == nil {
                #expect(direct == nil, "seed \(seed): read directly what the general path refuses")
            } else if let direct {
                readDirectly += 1
                #expect(direct == general, "seed \(seed)")
                #expect(direct.map(\.canonicalFields) == direct.map(\.fields.canonicalText), "seed \(seed)")
            }
        }
        #expect(readDirectly > 0)  // some edits leave a valid body (an inserted space, a cut in a value)
    }

    /// A change's keys are matched on their bytes: one written with an escape is still the key
    /// it decodes to (read the same; twice, refused like any duplicate key), and an empty
    /// context however spelled reads as none.
    @Test func escapedKeysAndEmptyContextsReadAsTheGeneralPathReadsThem() throws {
        let canonical = SyncWire.PushRequest.encode([ChangeRecordTests.sample])
        for key in ["origin", "seq", "hlc", "kind", "entity", "op", "fields", "ctx", "scope"] {
            let plain = "\"\(key)\":"
            #expect(canonical.contains(plain), "\(key)")
            let escaped = "\"\\u00\(String(key.utf8.first ?? 0, radix: 16))\(key.dropFirst())\":"
            let once = Array(canonical.replacingOccurrences(of: plain, with: escaped).utf8)
            let general = try #require(Self.general(once), "\(key)")
            #expect(general == [ChangeRecordTests.sample], "\(key) escaped")
            #expect(Self.direct(once) == general, "\(key) escaped")
            // The key twice, once escaped: the general path refuses it, and so must the direct.
            let twice = Array(
                canonical.replacingOccurrences(
                    of: #"{"ctx":"#, with: "{" + escaped + Self.sampleValue(key) + #","ctx":"#
                )
                .utf8)
            #expect(Self.general(twice) == nil, "\(key) twice")
            #expect(Self.direct(twice) == nil, "\(key) twice")
        }
        var empty = ChangeRecordTests.sample
        empty.context = VersionVector()
        let body = SyncWire.PushRequest.encode([empty])
        #expect(body.contains(#""ctx":{}"#))
        for ctx in ["{}", "{ }", "{\n}", "null"] {
            let spelled = Array(body.replacingOccurrences(of: #""ctx":{}"#, with: #""ctx":"# + ctx).utf8)
            let general = try #require(Self.general(spelled), "\(ctx)")
            #expect(general == [empty], "\(ctx)")
            #expect(Self.direct(spelled) == general, "\(ctx)")
            #expect(Self.direct(spelled)?.first?.canonicalContext == "{}", "\(ctx)")
        }
    }

    /// A valid value of `key` for the sample change (for writing the key a second time).
    static func sampleValue(_ key: String) -> String {
        switch key {
        case "seq", "hlc": return "1"
        case "fields", "ctx": return "{}"
        case "origin": return #""s1""#
        case "kind": return #""price""#
        case "scope": return #""global""#
        case "op": return #""upsert""#
        default: return #""x""#
        }
    }

    @Test func nestingPastTheLimitIsLeftToTheGeneralPath() throws {
        let sample = ChangeRecordTests.sample
        for depth in 1...8 {
            var nested = JSONValue.int(1)
            for _ in 0..<depth { nested = .array([nested]) }
            var change = sample
            change.fields = ["deep": nested]
            let body = Array(SyncWire.PushRequest.encode([change]).utf8)
            // The body nests 4 levels (object, array, change, fields) before `deep`'s arrays.
            for limit in [4, 6, 8, 12] {
                let general = Self.general(body, maxDepth: limit)
                #expect(Self.direct(body, maxDepth: limit) == general, "depth \(depth), limit \(limit)")
                #expect((general != nil) == (4 + depth <= limit), "depth \(depth), limit \(limit)")
            }
        }
    }

    static func replacing(_ body: [UInt8], _ target: String, with replacement: String) -> [UInt8] {
        Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: target, with: replacement).utf8)
    }
}
