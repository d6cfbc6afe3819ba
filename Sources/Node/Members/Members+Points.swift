import Commerce
import Replication
import Storage

/// One item of the points catalog (积分商城): a SKU handed over at the counter, or a
/// holders-only coupon, for a number of points.
public struct PointsCatalogItem: Sendable, Equatable, Codable {
    /// `sku:<code>` or `coupon:<code>`.
    public var item: String
    public var points: Int64
}

/// A member's points now: what can be spent (after expiry), what expired, what expires soon.
public struct PointsView: Sendable, Equatable, Codable {
    public var member: String
    public var available: Int64
    public var expired: Int64
    public var expiring_soon: Int64
    /// Points earned over the member's lifetime (what levels are based on).
    public var lifetime_earned: Int64
}

extension Members {
    /// The member's spendable points at `now`: the ledger's balance, minus lots that expired
    /// under the expiry rule they were earned with (first in, first out; see `PointsExpiry`).
    static func pointsStatus(_ member: String, _ r: StoreReader, now: Int64) throws -> PointsExpiry.Status {
        let schedule = try r.pointsSchedule()
        guard !schedule.neverExpires else {
            return PointsExpiry.Status(
                available: try r.balance(member: member, account: "points"), expired: 0, expiring_soon: 0)
        }
        return PointsExpiry.status(
            of: try r.pointsLots(member: member), schedule: schedule, now: now, from: try r.pointsBase(member: member))
    }

    public func points(of member: String) throws(NodeError) -> PointsView {
        let now = store.wallNow()
        return try read { r in
            _ = try Self.memberView(member, r)
            let s = try Self.pointsStatus(member, r, now: now)
            return PointsView(
                member: member, available: s.available, expired: s.expired, expiring_soon: s.expiring_soon,
                lifetime_earned: try Self.lifetimePoints(of: member, r))
        }
    }

    /// Points for sharing a product or campaign, at most `share_daily_limit` times a day. Each
    /// rewarded share is a claim on `share:<member>:<day>:<n>`, so shares rewarded at two offline
    /// stores beyond the limit are flagged at merge.
    public func share(member: String, what: String) throws(NodeError) -> PointsView {
        try write(.manageMembers, "points.share", subject: member) { tx in
            _ = try Self.memberView(member, tx.reader)
            let rules = try Self.pointsSettings(tx.reader)
            guard rules.share_points > 0, rules.share_daily_limit > 0 else {
                throw NodeError(.conflict, "head office gives no points for sharing (see `fenxiao points rules`)")
            }
            let day = NodeCalendar.shanghaiDay(tx.nowMillis)
            guard
                let slot = try (1...rules.share_daily_limit).first(where: {
                    try tx.reader.claimCount("share:\(member):\(day):\($0)") == 0
                })
            else {
                throw NodeError(
                    .conflict,
                    "member \(member) has already been rewarded for \(rules.share_daily_limit) shares on \(day)")
            }
            let id = tx.newID("SH")
            try tx.emit(
                CouponUseChange(key: "share:\(member):\(day):\(slot)", claimant: "share:\(id)"), entity: id,
                scope: .global)
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .points, delta: rules.share_points, reason: "share",
                    ref: what),
                entity: "PT-\(id)", scope: .global)
        }
        return try points(of: member)
    }

    public func pointsCatalog() throws(NodeError) -> [PointsCatalogItem] {
        try read { r in try Self.pointsCatalog(r) }
    }

    static func pointsCatalog(_ r: StoreReader) throws -> [PointsCatalogItem] {
        try r.setting(SettingRegister.PointsCatalog.self).listed.map {
            PointsCatalogItem(item: $0.key, points: $0.value)
        }
        .sorted { $0.item < $1.item }
    }

    /// Head office lists an item in the points catalog (or removes it with `points` nil).
    public func setPointsCatalogItem(_ item: String, points: Int64?) throws(NodeError) -> [PointsCatalogItem] {
        try requireCentral("changing the points catalog")
        if let points, !(1...100_000_000).contains(points) {
            throw NodeError(.invalidInput, "\(Field.points) must be 1…100,000,000")
        }
        try write(.marketing, "points.catalog", subject: item) { tx in
            if item.hasPrefix("sku:") {
                _ = try Catalog.requireSKU(String(item.dropFirst(4)), tx.reader)
            } else if item.hasPrefix("coupon:") {
                guard try Marketing.couponRegister(String(item.dropFirst(7)), tx.reader).holdersOnly else {
                    throw NodeError(
                        .invalidInput,
                        "only a holders-only coupon can be exchanged for points (define it with \(Field.holdersOnly))")
                }
            } else {
                throw NodeError(.invalidInput, "item '\(item)' must be sku:<code> or coupon:<code>")
            }
            let patch =
                points.map { SettingRegister.PointsCatalog(listed: [item: $0]) }
                ?? SettingRegister.PointsCatalog(removed: [item])
            try tx.emit(patch, entity: SettingRegister.PointsCatalog.entity, scope: .global)
        }
        return try pointsCatalog()
    }

    /// A member exchanges points for a catalog item: a SKU leaves this node's stock (a sale
    /// paid in points), a coupon becomes theirs. The points must be available here.
    public func exchangePoints(member: String, item: String) throws(NodeError) -> PointsView {
        let now = store.wallNow()
        try write(.manageMembers, "points.exchange", subject: member) { tx in
            let r = tx.reader
            _ = try Self.memberView(member, r)
            guard let entry = try Self.pointsCatalog(r).first(where: { $0.item == item }) else {
                throw NodeError(.notFound, "\(item) is not in the points catalog; see `fenxiao points catalog`")
            }
            let available = try Self.pointsStatus(member, r, now: now).available
            guard available >= entry.points else {
                throw NodeError(
                    .conflict, "member \(member) has \(available) points here; \(item) costs \(entry.points)")
            }
            let id = tx.newID("PX")
            if item.hasPrefix("sku:") {
                let sku = String(item.dropFirst(4))
                let (warehouse, stockScope) = try node.inventory.resolveWarehouse(nil, r)
                guard try r.stockLevel(sku: sku, warehouse: warehouse).available >= 1 else {
                    throw NodeError(.conflict, "\(sku) is out of stock at \(warehouse)")
                }
                try tx.emit(
                    StockMoveChange(sku: sku, warehouse: warehouse, reason: .sale, qty: -1, ref: id), entity: id,
                    scope: stockScope)
            } else {
                let code = String(item.dropFirst(7))
                guard try !Marketing.holds(member, coupon: code, r) else {
                    throw NodeError(.conflict, "member \(member) already holds coupon \(code)")
                }
                try Marketing.emitHolding(&tx, code: code, member: member, source: .points, ref: id)
            }
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .points, delta: -entry.points, reason: "exchange",
                    ref: item),
                entity: "PT-\(id)", scope: .global)
        }
        return try points(of: member)
    }
}

/// One entry of a member's points ledger, as listed by `fenxiao points history`.
public struct PointsEntry: Sendable, Equatable, Codable {
    /// The ledger entry id (`PTS-<order>` earned, `PTR-<order>` redeemed, `PTB-<refund>` given back…).
    public var id: String
    /// Points added (positive) or taken (negative).
    public var delta: Int64
    /// Why: `order`, `redeem`, `refund`, `share`, `exchange`, `gift`…
    public var reason: String?
    /// The order, refund or item the entry is about.
    public var ref: String?
    /// When it was written, in ms since the epoch (the wall-clock part of its stamp).
    public var at_ms: Int64
    /// The node that wrote it.
    public var origin: String
}

extension Members {
    /// A member's points entries, newest first (at most `limit`).
    public func pointsHistory(of member: String, limit: Int = 100) throws(NodeError) -> [PointsEntry] {
        guard (1...10_000).contains(limit) else {
            throw NodeError(.invalidInput, "\(Field.limit) must be between 1 and 10000")
        }
        return try read { r in
            _ = try Self.memberView(member, r)
            return try r.pointsHistory(member: member, limit: limit).map {
                PointsEntry(
                    id: $0.id, delta: $0.delta, reason: $0.reason, ref: $0.ref, at_ms: $0.atMillis, origin: $0.origin)
            }
        }
    }
}
