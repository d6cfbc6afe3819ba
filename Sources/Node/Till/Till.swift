import Commerce
import Replication
import Storage

/// The till: a store's counter, served by its store node on the shop's LAN to several tills
/// (browsers) at once. Tills are enrolled at the node and staff log in with a PIN; every till of
/// a store talks to the same node, so PINs, sessions and sales work while central is away.
/// Enrolments, PINs and sessions are node-local (schema 014): never replicated, kept only as
/// hashes.
public struct Till: NodeFeature {
    let node: FenxiaoNode

    /// Runs a node-local bookkeeping step, mapping failures to a NodeError.
    func local<T>(_ body: () throws -> T) throws(NodeError) -> T {
        do { return try body() } catch { throw NodeError.wrap(error) }
    }

    /// `HH:MM` at the node's UTC offset, for messages.
    func clockTime(_ millis: Int64) -> String {
        let offset = (try? node.dayOffsetMillis()) ?? NodeCalendar.shanghaiOffsetMillis
        let minutes = ((millis + offset) / 60_000 % 1440 + 1440) % 1440
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

extension FenxiaoNode {
    /// The till's use cases (enrolment, PINs, sessions, manager approval, shifts).
    public var till: Till { Till(node: self) }
}
