@testable import Replication

/// Shared fixtures: node ids, stamps and changes with readable defaults.
enum Fixture {
    static let storeA = NodeID(unchecked: "store-a")
    static let storeB = NodeID(unchecked: "store-b")
    static let storeC = NodeID(unchecked: "store-c")
    static let nodes = [storeA, storeB, storeC, NodeID.central]

    static func hlc(_ wall: Int64, _ counter: Int = 0) -> HLC { HLC(wallMillis: wall, counter: counter) }

    static func stamp(_ origin: NodeID, _ seq: Int64, at wall: Int64, _ counter: Int = 0) -> ChangeStamp {
        ChangeStamp(hlc: hlc(wall, counter), origin: origin, seq: seq)
    }

    static func write(
        _ origin: NodeID, _ seq: Int64, at wall: Int64, _ fields: Fields, saw context: VersionVector = VersionVector(),
        kind: EntityKind = .member, entity: String = "M1"
    ) -> ChangeRecord {
        ChangeRecord(
            origin: origin, seq: seq, hlc: hlc(wall), kind: kind, entity: entity, fields: fields, context: context,
            scope: .global)
    }
}
