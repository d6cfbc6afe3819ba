import Commerce
import Replication

/// Shared fixtures: node ids and stamps with readable defaults.
enum Fixture {
    static func node(_ raw: String) -> NodeID {
        guard let id = NodeID(raw) else { preconditionFailure("fixture node id '\(raw)' is invalid") }
        return id
    }

    static let storeA = node("store-a")
    static let storeB = node("store-b")
    static let storeC = node("store-c")
    static let nodes = [storeA, storeB, storeC, NodeID.central]

    static func stamp(_ origin: NodeID, _ seq: Int64, at wall: Int64, _ counter: Int = 0) -> ChangeStamp {
        ChangeStamp(hlc: HLC(wallMillis: wall, counter: counter), origin: origin, seq: seq)
    }
}
