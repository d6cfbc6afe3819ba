import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// What a store may not push, one forged change at a time through central's push path: each
/// is refused as forbidden and changes nothing.
@Suite struct PushAuthorizationTests {
    static func forged(_ kind: EntityKind, _ entity: String, _ fields: Fields, scope: Scope) throws -> ChangeRecord {
        ChangeRecord(
            origin: try #require(NodeID("s1")), seq: 1,
            hlc: HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0),
            kind: kind, entity: entity, fields: fields, scope: scope)
    }

    static let s2: Scope = .node(Fixture.node("s2"))
    static let s1: Scope = .node(Fixture.node("s1"))

    @Test(arguments: [
        (
            "a setting", EntityKind.setting, "distribution", ["auto_approve_spend_cents": JSONValue.int(0)] as Fields,
            Scope.global
        ),
        ("approving a distributor", .distributor, "M1", ["status": "active"], .global),
        ("grouping a distributor", .distributor, "M1", ["status": "applied", "group": "gold"], .global),
        ("approving a withdrawal", .withdrawal, "WD-1", ["status": "approved"], .global),
        ("another store's copy of contact data", .memberContact, "M2@s2", ["email": "x@example.com"], s1),
        ("contact data outside its own scope", .memberContact, "M2@s1", ["email": "x@example.com"], s2),
        ("a member level", .memberLevel, "GOLD", ["name": "金卡", "min_points": 0], .global),
    ])
    func storesCannotAuthor(what: String, kind: EntityKind, entity: String, fields: Fields, scope: Scope) throws {
        try withCentral("pushauth") { central, dir in
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            _ = try s2.members.upsert(id: "M2", name: "Wang", phone: nil, email: "wang@example.com")
            _ = try central.sync.acceptPush(
                from: Fixture.node("s2"), changes: try s2.read { try $0.ownChanges(after: 0, limit: 100) })
            let before = try central.sync.status().state_hash
            let change = try Self.forged(kind, entity, fields, scope: scope)
            do {
                _ = try central.sync.acceptPush(from: Fixture.node("s1"), changes: [change])
                Issue.record("\(what) was accepted from a store")
            } catch let error as NodeError {
                #expect(error.code == .forbidden, "\(what): \(error.message)")
            }
            #expect(try central.sync.status().state_hash == before, "\(what) changed central")
        }
    }
}
