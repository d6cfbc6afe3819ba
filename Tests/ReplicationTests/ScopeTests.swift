import Foundation
import Testing

@testable import Replication

@Suite struct ScopeTests {
    @Test func parsesGlobalAndNodeScopes() throws {
        #expect(Scope("global") == .global)
        let store = try #require(NodeID("store-a"))
        #expect(Scope("node:store-a") == .node(store))
    }

    @Test(arguments: ["", "Global", "node:", "node:bad id", "nodes:store-a", "node", "store-a", " global"])
    func refusesUnknownScopes(text: String) {
        #expect(Scope(text) == nil)
    }

    @Test func descriptionRoundTrips() throws {
        let store = try #require(NodeID("store-a"))
        for scope in [Scope.global, .node(store), .node(.central)] {
            #expect(Scope(scope.description) == scope)
        }
        #expect(Scope.node(store).description == "node:store-a")
    }

    @Test func codableUsesTheTextAndRejectsBadScopes() throws {
        let store = try #require(NodeID("store-a"))
        let data = try JSONEncoder().encode([Scope.global, .node(store)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"global\",\"node:store-a\"]")
        #expect(try JSONDecoder().decode([Scope].self, from: data) == [.global, .node(store)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Scope].self, from: Data("[\"node:\"]".utf8))
        }
    }
}
