import Commerce
import Replication
import Storage

extension Orders {
    /// Cancels unpaid orders older than `minutes`, releasing their reserved stock.
    public func expireUnpaid(olderThan minutes: Int64) throws(NodeError) -> [String] {
        guard minutes >= 1 else { throw NodeError(.invalidInput, "\(Field.olderThan) must be at least 1 minute") }
        let cutoff = store.wallNow() - minutes * 60_000
        let stale = try list(matching: StoreReader.OrderFilter(status: .pending, to: cutoff), limit: 10_000)
            .filter { $0.store == identity.node.rawValue || identity.role == .central }
        var expired: [String] = []
        for o in stale {
            _ = try transition(order: o.id, to: .cancelled)
            expired.append(o.id)
        }
        return expired
    }
}

extension Orders {
    /// How long an online order waits for payment before `fenxiao order expire` (the default of
    /// its `--older-than`, run by head office's schedule) cancels it: the mall shows the
    /// deadline, `created_at` plus this, on an unpaid order.
    public static let unpaidLifeMinutes: Int64 = 30

    /// When an unpaid order expires (ms since the epoch), or nil without a creation time.
    public static func expiresAt(_ order: OrderView) -> Int64? {
        order.created_at.map { $0 + unpaidLifeMinutes * 60_000 }
    }
}
