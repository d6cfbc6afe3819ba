import Foundation
import Testing

@testable import Replication

@Suite struct NodeIDTests {
    @Test(arguments: ["central", "store-01", "A_b-9", "x", String(repeating: "z", count: 32), "0123456789"])
    func acceptsShortURLSafeNames(raw: String) throws {
        let id = try #require(NodeID(raw))
        #expect(id.rawValue == raw)
        #expect(id.description == raw)
    }

    @Test(arguments: [
        "", String(repeating: "z", count: 33), "store 1", "store/1", "a.b", "a:b", "店", "ä", "tab\t", "a\n", "%41",
        "a+b",
    ])
    func refusesEmptyLongOrUnsafeNames(raw: String) {
        #expect(NodeID(raw) == nil)
    }

    @Test func centralHasItsFixedID() {
        #expect(NodeID.central.rawValue == "central")
        #expect(NodeID("central") == NodeID.central)
    }

    @Test func ordersByRawValue() throws {
        let a = try #require(NodeID("A"))
        let b = try #require(NodeID("b"))
        let store = try #require(NodeID("store-a"))
        #expect(a < b)
        #expect(NodeID.central < store)
        #expect([store, b, a].sorted() == [a, b, store])
    }

    @Test func codableRoundTripAsString() throws {
        let id = try #require(NodeID("store-7"))
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"store-7\"]")
        #expect(try JSONDecoder().decode([NodeID].self, from: data) == [id])
    }

    @Test(arguments: ["[\"\"]", "[\"bad id\"]", "[\"a/b\"]", "[1]"])
    func decodingRejectsInvalidIDs(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([NodeID].self, from: Data(json.utf8))
        }
    }
}
