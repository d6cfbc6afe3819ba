import FenxiaoTesting
import Foundation
import GRDB
import Replication
import Testing

@testable import Storage

/// Apply-path statements whose cost must not grow with a key's ledger: SQLite's planner picks
/// the index they are written for. Found by `fenxiao bench history`: with the (sku, warehouse)
/// index, each shipment of an online order read the whole ledger of its popular SKU to learn
/// whether the reservation was released, and a store's morning pull grew ~5× in two weeks.
@Suite struct QueryPlanTests {
    @Test func releasesOfAnAllocationAreFoundByTheReleasesIndexNotTheKeysLedger() throws {
        try withTempDirectory("plan") { dir in
            let store = try NodeStore.create(
                directory: dir.sub("s"), identity: NodeIdentity(node: try #require(NodeID("s1")), role: .store))
            let plan = try store.read { r in
                try r.rows("EXPLAIN QUERY PLAN " + ChangeApplier.endingMovesSQL, ["A-1", "TEA-01", "s1"])
                    .map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("stock_moves_releases") }, "\(plan)")
            #expect(!plan.contains { $0.contains("stock_moves_key") }, "\(plan)")
        }
    }

    /// `orders_status` serves head office's lists by status; a store does not keep it (one
    /// b-tree page fewer a sale), also when it opens a file made with it, and its status filter
    /// still answers.
    @Test func onlyCentralKeepsTheOrderStatusIndex() throws {
        try withTempDirectory("plan-status") { dir in
            let held = "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'orders_status'"
            let central = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            #expect(try central.read { try $0.rows(held)[0]["n"] as Int } == 1)
            let plan = try central.read { r in
                try r.rows("EXPLAIN QUERY PLAN SELECT id FROM orders WHERE status = ?", ["paid"]).map {
                    $0["detail"] as String
                }
            }
            #expect(plan.contains { $0.contains("orders_status") }, "\(plan)")
            let identity = NodeIdentity(node: try #require(NodeID("s1")), role: .store)
            let store = try NodeStore.create(directory: dir.sub("s"), identity: identity)
            #expect(try store.read { try $0.rows(held)[0]["n"] as Int } == 0)
            // A store file made before: the index is dropped when it opens.
            try store.writeLocal { db in try db.execute(sql: "CREATE INDEX orders_status ON orders(status)") }
            let reopened = try NodeStore.open(directory: dir.sub("s"))
            #expect(try reopened.read { try $0.rows(held)[0]["n"] as Int } == 0)
            try reopened.writeLocal { db in
                try db.execute(sql: "INSERT INTO orders(id, scope, status) VALUES ('O-1', 'node:s1', 'paid')")
                try db.execute(sql: "INSERT INTO orders(id, scope, status) VALUES ('O-2', 'node:s1', 'pending')")
            }
            #expect(
                try reopened.read { try $0.orderIDs(matching: .init(status: .paid), limit: 10, offset: 0) } == ["O-1"])
        }
    }

    @Test func centralsPerPushDisplacementCheckReadsOnlyDisplacementRecords() throws {
        try withTempDirectory("plan-displaced") { dir in
            let central = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            let plan = try central.read { r in
                try r.rows("EXPLAIN QUERY PLAN " + NodeStore.unresolvedDisplacementsSQL).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("conflicts_displaced") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN c") && !$0.contains("INDEX") }, "\(plan)")
        }
    }

    /// A snapshot's log copy reads central's log by ranges of the pull index, the global index
    /// and the (origin, seq) key, never every change (most of central's log is the other stores'
    /// own scopes) nor every global change ever (every store's member entries).
    @Test func aSnapshotsLogCopyReadsRangesNotCentralsWholeLog() throws {
        try withTempDirectory("plan-snapshot") { dir in
            let central = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            let plan = try central.read { r in
                try r.rows(
                    "EXPLAIN QUERY PLAN " + ScopeSnapshot.keptChangesSQL(from: "main"), ["s9", "node:s9", "central", 0]
                ).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("change_log_pull") }, "\(plan)")
            // The other origins' settled global changes are skipped by a range on the stamp.
            #expect(plan.contains { $0.contains("change_log_global (origin=? AND kind=? AND hlc>?)") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN change_log") && !$0.contains("INDEX") }, "\(plan)")
            // A rejoining store's own archived changes by the archive's (origin, seq) key.
            #expect(plan.contains { $0.contains("change_archive USING INDEX") && $0.contains("(origin=?)") }, "\(plan)")
        }
    }

    /// A snapshot copies the history rows of the changes it keeps by central's history key, one
    /// look-up per kept change: central's history (every order change of every store) is never read whole.
    @Test func aSnapshotsHistoryCopyLooksUpEachKeptChange() throws {
        try withTempDirectory("plan-history") { dir in
            let central = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            let plan = try central.read { r in
                try r.rows("EXPLAIN QUERY PLAN " + ScopeSnapshot.historySQL(from: "main")).map {
                    $0["detail"] as String
                }
            }
            #expect(plan.contains { $0.hasPrefix("SEARCH h USING PRIMARY KEY") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN h") }, "\(plan)")
        }
    }

    /// A snapshot reads the global rows of central's big node-scoped tables by their partial
    /// index (schema 28), not by reading every order, line and movement of every store.
    @Test(arguments: ["orders", "order_lines", "payments", "stock_moves", "stock_levels"])
    func globalRowsOfTheBigTablesAreReadByTheirPartialIndex(table: String) throws {
        try withTempDirectory("plan-global") { dir in
            let central = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            let plan = try central.read { r in
                try r.rows("EXPLAIN QUERY PLAN SELECT * FROM \(table) WHERE scope = 'global'")
                    .map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("\(table)_global") }, "\(plan)")
        }
    }
}
