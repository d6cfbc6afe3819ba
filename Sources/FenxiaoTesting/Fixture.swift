import Replication

/// Readable defaults for the pure modules' tests: node ids, clocks, stamps and changes.
/// (Whole nodes on disk are `Fixtures`.)
public enum Fixture {
    /// A node id the test spells out; an invalid one stops the test at once.
    public static func node(_ raw: String) -> NodeID {
        guard let id = NodeID(raw) else { preconditionFailure("fixture node id '\(raw)' is invalid") }
        return id
    }

    public static let storeA = node("store-a")
    public static let storeB = node("store-b")
    public static let storeC = node("store-c")
    /// The three stores and central.
    public static let nodes = [storeA, storeB, storeC, NodeID.central]

    public static func hlc(_ wall: Int64, _ counter: Int = 0) -> HLC { HLC(wallMillis: wall, counter: counter) }

    public static func stamp(_ origin: NodeID, _ seq: Int64, at wall: Int64, _ counter: Int = 0) -> ChangeStamp {
        ChangeStamp(hlc: hlc(wall, counter), origin: origin, seq: seq)
    }

    /// A global upsert of `fields` on `kind`/`entity`, having seen `context`.
    public static func write(
        _ origin: NodeID, _ seq: Int64, at wall: Int64, _ fields: Fields, saw context: VersionVector = VersionVector(),
        kind: EntityKind = .member, entity: String = "M1"
    ) -> ChangeRecord {
        ChangeRecord(
            origin: origin, seq: seq, hlc: hlc(wall), kind: kind, entity: entity, fields: fields, context: context,
            scope: .global)
    }
}
