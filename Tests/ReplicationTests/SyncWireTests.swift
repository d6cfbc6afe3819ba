import FenxiaoTesting
import Foundation
import Testing

@testable import Replication

@Suite struct SyncWireTests {
    typealias F = Fixture

    static let changes = [
        F.write(F.storeA, 1, at: 1000, ["name": "Li \"Tea\" 茶"]),
        F.write(F.storeA, 2, at: 1001, ["phone": "138"], saw: VersionVector([F.storeA: 1])),
    ]

    @Test func pushBodyIsTheCanonicalChangesInOrder() throws {
        let body = SyncWire.PushRequest.encode(Self.changes)
        #expect(body == "{\"changes\":[\(Self.changes[0].canonicalJSON),\(Self.changes[1].canonicalJSON)]}")
        let decoded = try JSONDecoder().decode(SyncWire.PushRequest.self, from: Data(body.utf8))
        #expect(decoded.changes == Self.changes)
    }

    @Test func emptyPushBody() throws {
        #expect(SyncWire.PushRequest.encode([]) == #"{"changes":[]}"#)
    }

    @Test(arguments: [true, false])
    func pullBodyDecodes(more: Bool) throws {
        for changes in [Self.changes, []] {
            let body = SyncWire.PullResponse.encode(changes, cursor: "1234", more: more)
            let decoded = try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(body.utf8))
            #expect(decoded.changes == changes)
            #expect(decoded.cursor == "1234")
            #expect(decoded.more == more)
        }
    }

    @Test func pushResponseUsesSnakeCaseKeys() throws {
        let answer = SyncWire.PushResponse(acked_seq: 42, applied: 3, duplicates: 1, conflicts_new: 2)
        let object = try JSONDecoder().decode([String: Int64].self, from: JSONEncoder().encode(answer))
        #expect(object == ["acked_seq": 42, "applied": 3, "duplicates": 1, "conflicts_new": 2])
        let json = #"{"acked_seq":42,"applied":3,"duplicates":1,"conflicts_new":2}"#
        #expect(try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(json.utf8)) == answer)
    }

    @Test func headersAndVersion() {
        #expect(SyncWire.protocolVersion == 1)
        #expect(SyncWire.protocolHeader == "X-Fenxiao-Protocol")
        #expect(SyncWire.schemaHeader == "X-Fenxiao-Schema")
    }
}
