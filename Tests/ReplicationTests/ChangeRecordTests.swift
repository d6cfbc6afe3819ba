import FenxiaoTesting
import Foundation
import Testing

@testable import Replication

@Suite struct ChangeRecordTests {
    typealias F = Fixture

    static let sample = ChangeRecord(
        origin: F.storeA, seq: 7, hlc: HLC(wallMillis: 1_700_000_000_000, counter: 2), kind: .member,
        entity: "M-\"1\"",
        fields: [
            "name": "王小明", "level": 2, "tags": .array(["vip", nil]),
            "address": .object(["city": "杭州", "zip": "310000"]),
        ],
        context: VersionVector([F.storeB: 3, F.storeA: 6]), scope: .node(F.storeA))

    static let sampleCanonical =
        #"{"ctx":{"store-a":6,"store-b":3},"entity":"M-\"1\"","fields":{"address":{"city":"杭州","zip":"310000"},"#
        + #""level":2,"name":"王小明","tags":["vip",null]},"#
        + #""hlc":\#(HLC(wallMillis: 1_700_000_000_000, counter: 2).rawValue),"#
        + #""kind":"member","op":"upsert","origin":"store-a","scope":"node:store-a","seq":7}"#

    static func decode(_ text: String) throws -> ChangeRecord {
        try JSONDecoder().decode(ChangeRecord.self, from: Data(text.utf8))
    }

    @Test func canonicalJSONIsSortedAndMinimal() {
        #expect(Self.sample.canonicalJSON == Self.sampleCanonical)
    }

    @Test func canonicalJSONDecodesBackToTheSameRecord() throws {
        #expect(try Self.decode(Self.sample.canonicalJSON) == Self.sample)
    }

    @Test func jsonEncoderRoundTrip() throws {
        let transition = ChangeRecord(
            origin: .central, seq: 1, hlc: HLC(wallMillis: 5, counter: 0), kind: .order, entity: "O1",
            op: .transition, fields: ["status": "paid"], scope: .global)
        for record in [Self.sample, transition] {
            let data = try JSONEncoder().encode(record)
            #expect(try JSONDecoder().decode(ChangeRecord.self, from: data) == record)
        }
    }

    @Test func encoderUsesCtxKeyForTheCausalContext() throws {
        let data = try JSONEncoder().encode(Self.sample)
        let object = try JSONDecoder().decode([String: JSONValue].self, from: data)
        #expect(object["ctx"] == JSONValue.object(["store-a": 6, "store-b": 3]))
        #expect(object["context"] == nil)
    }

    @Test func canonicalJSONDoesNotDependOnInsertionOrder() {
        var fields: Fields = [:]
        for key in ["tags", "name", "address", "level"] { fields[key] = Self.sample.fields[key] }
        var context = VersionVector()
        context.record(origin: F.storeA, seq: 6)
        context.record(origin: F.storeB, seq: 3)
        var rebuilt = Self.sample
        rebuilt.fields = fields
        rebuilt.context = context
        #expect(rebuilt.canonicalJSON == Self.sample.canonicalJSON)
        #expect(rebuilt.canonicalJSON == Self.sample.canonicalJSON)  // stable across calls
    }

    @Test func missingContextDecodesAsEmpty() throws {
        let record = try Self.decode(
            #"{"origin":"store-a","seq":1,"hlc":65536,"kind":"sku","entity":"TEA-01","op":"upsert","fields":{},"#
                + #""scope":"global"}"#)
        #expect(record.context == VersionVector())
        #expect(record.kind == .sku)
        #expect(record.hlc == HLC(wallMillis: 1, counter: 0))
        #expect(record.canonicalJSON.hasPrefix(#"{"ctx":{},"#))
    }

    @Test(arguments: [
        ("kind", #""warp_drive""#), ("origin", #""bad id""#), ("scope", #""everywhere""#), ("op", #""delete""#),
        ("ctx", #"{"store-a":-1}"#), ("fields", #"{"price":12.5}"#), ("seq", #""7""#),
    ])
    func decodingRejectsBadFields(key: String, badValue: String) throws {
        var object = try JSONDecoder().decode([String: JSONValue].self, from: Data(Self.sample.canonicalJSON.utf8))
        #expect(object[key] != nil)
        object[key] = nil
        let patched = JSONValue.object(object).canonicalText.dropLast() + ",\"\(key)\":\(badValue)}"
        #expect(throws: DecodingError.self) { try Self.decode(String(patched)) }
    }

    @Test func stampCombinesClockOriginAndSeq() {
        #expect(Self.sample.stamp == ChangeStamp(hlc: Self.sample.hlc, origin: F.storeA, seq: 7))
        #expect(Self.sample.stamp.changeID == "store-a/7")
    }
}
