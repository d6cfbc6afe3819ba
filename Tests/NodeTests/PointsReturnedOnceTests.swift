import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Issue 14: two nodes refunding the same order offline never give back more points than the
/// order used, nor claw back more than it earned (`PointsReturnCap`), in any delivery order,
/// and every node holding the same changes — even a store holding only the global ones —
/// derives the same points.
@Suite struct PointsReturnedOnceTests {
    typealias Paths = OrderRefundPathTests

    /// The points the order's refund entries count for, given back and clawed back.
    static func counted(_ node: FenxiaoNode, order: String) throws -> (returned: Int64, clawed: Int64) {
        try node.read { r in
            let row = try #require(
                try r.rows(
                    """
                    SELECT COALESCE(SUM(CASE WHEN delta > 0 THEN delta END), 0), COALESCE(SUM(CASE WHEN delta < 0 THEN -delta END), 0)
                    FROM member_ledger WHERE ref = ? AND account = 'points' AND reason = 'refund'
                    """, [order]
                ).first)
            return (row[0], row[1])
        }
    }

    @Test func theStoreAndHeadOfficeBothRefundingInFullGiveThePointsBackOnce() throws {
        try withTempDirectory("ptsonce") { dir in
            let (central, s1) = try Paths.chain(dir, points: 10_000)
            var req = OrderRequest(lines: [.line("MUG-01", 2)], member: "M1", pay: .cash)
            req.points = 3000
            let order = try s1.orders.create(req)
            try Paths.relay(s1, to: central)
            let before = try central.members.find("M1").points  // 10,000 − 3,000 + the points earned
            // Offline from each other, both give the whole order back.
            _ = try s1.orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
            _ = try central.orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
            try Paths.relay(s1, to: central)
            try Paths.relay(central, to: s1)
            let earned = before - 7000
            for node in [s1, central] {
                let (returned, clawed) = try Self.counted(node, order: order.id)
                #expect(returned == 3000 && clawed == earned, "returned \(returned), clawed \(clawed)")
                #expect(try node.members.find("M1").points == 10_000, "M1 ends where they started")
                let twice = try node.sync.conflicts().filter { $0.rule == "points_return_exceeds_used" }
                #expect(twice.count == 1 && twice.first?.amount == 3000 && twice.first?.unit == "points")
                let claw = try node.sync.conflicts().filter { $0.rule == "points_clawback_exceeds_earned" }
                #expect(claw.count == (earned > 0 ? 1 : 0) && claw.first.map { $0.amount == earned } ?? true)
                #expect(try node.sync.conflicts().contains { $0.rule == "refund_exceeds_paid" })
            }
            #expect(try s1.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: NodeID("s1")!) })
            // A store holding only the global changes (the points entries, not s1's order) agrees.
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            let global = try
                (s1.read { try $0.ownChanges(after: 0, limit: 100_000) }
                + central.read { try $0.ownChanges(after: 0, limit: 100_000) })
                .filter { $0.scope == .global }
            _ = try s2.store.applyRemote(global)
            #expect(try s2.members.find("M1").points == 10_000)
            #expect(try s2.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: NodeID("s2")!) })
        }
    }

    /// One random refund at `node`: some units of a line, an amount, or everything left.
    static func randomRefund(_ node: FenxiaoNode, order: String, _ rng: inout SplitMix64) {
        guard let now = try? node.orders.find(order), now.paid_cents > now.refunded_cents else { return }
        let open = now.lines.filter { $0.refunded_qty < $0.qty }
        switch rng.int(0...2) {
        case 0 where !open.isEmpty:
            let line = rng.pick(open)
            _ = try? node.orders.refund(
                order: order, amount: nil, reason: nil, restock: false,
                lines: [.line(line.line, rng.int64(1...(line.qty - line.refunded_qty)))])
        case 1:
            let room = now.paid_cents - now.refunded_cents
            _ = try? node.orders.refund(
                order: order, amount: Money(cents: rng.int64(1...room)), reason: nil, restock: false)
        default:
            _ = try? node.orders.refund(order: order, amount: nil, reason: nil, restock: false)
        }
    }

    @Test func randomRefundsAtTwoNodesNeverReturnMoreThanUsedInAnyDeliveryOrder() throws {
        var overlapped = 0
        for seed in propertySeeds.prefix(10) {
            var rng = SplitMix64(seed: seed)
            try withTempDirectory("ptsrand") { dir in
                let (central, s1) = try Paths.chain(dir, points: 20_000)
                var req = OrderRequest(
                    lines: [
                        .line("TEA-01", rng.int64(1...3)), .line("BUN-01", rng.int64(1...4)),
                        .line("MUG-01", rng.int64(1...2)),
                    ],
                    member: "M1",
                    pay: rng.pick([PaymentMethod.cash, .card]))
                req.points = rng.int64(1...3000)
                let order = try s1.orders.create(req)
                try Paths.relay(s1, to: central)
                let earned = try central.read { r in
                    try r.rows("SELECT delta FROM member_ledger WHERE id = ?", ["PTS-\(order.id)"]).first.map {
                        $0[0] as Int64
                    } ?? 0
                }
                // Each node, offline from the other, refunds along its own random path.
                for _ in 0..<rng.int(1...4) { Self.randomRefund(s1, order: order.id, &rng) }
                for _ in 0..<rng.int(1...4) { Self.randomRefund(central, order: order.id, &rng) }
                try Paths.relay(s1, to: central)
                try Paths.relay(central, to: s1)
                let (returned, clawed) = try Self.counted(central, order: order.id)
                #expect(
                    returned <= req.points && clawed <= earned,
                    "seed \(seed): returned \(returned) of \(req.points), clawed \(clawed) of \(earned)")
                if try central.sync.conflicts().contains(where: { $0.rule == "points_return_exceeds_used" }) {
                    overlapped += 1
                }
                #expect(try Self.counted(s1, order: order.id) == (returned, clawed), "seed \(seed)")
                #expect(
                    try s1.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: NodeID("s1")!) },
                    "seed \(seed)")
                // A full refund once both are in sync gives back exactly what was used and earned.
                _ = try? central.orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
                let settled = try Self.counted(central, order: order.id)
                #expect(settled == (req.points, earned), "seed \(seed): settled \(settled)")
                #expect(try central.members.find("M1").points == 20_000, "seed \(seed)")
                // The same changes in any delivery order, with duplicates and random batches: one state.
                let changes =
                    try central.read { try $0.ownChanges(after: 0, limit: 100_000) }
                    + s1.read { try $0.ownChanges(after: 0, limit: 100_000) }
                let hashes = try stateHashesOverDeliveries(of: changes, shuffles: 3, in: dir, using: &rng) { i, fresh in
                    if i == 0 {
                        // The counted deltas and balances advanced batch by batch equal a full re-fold.
                        let applied = try fresh.checkpointedState()
                        try fresh.refoldDerivedState()
                        #expect(try fresh.checkpointedState() == applied, "seed \(seed)")
                    }
                    let points = try fresh.read { try $0.balance(member: "M1", account: "points") }
                    #expect(points == 20_000, "seed \(seed): delivery \(i) ends with \(points) points")
                }
                #expect(hashes.count == 1, "seed \(seed): \(hashes.count) state hashes")
            }
        }
        #expect(overlapped > 0, "no seed made the two nodes return the same points")
    }
}
