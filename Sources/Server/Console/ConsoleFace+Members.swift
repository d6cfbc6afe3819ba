import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/members`: search by phone, name or id, level and group (`Members.search`), the
/// levels and groups with their rules; `/console/members/<id>`: one member's profile (contact
/// data masked by the use case for roles without `view_contacts`), level and progress to the
/// next, groups, points ledger with expiry, stored-value ledger and the coupons held. Groups are
/// rules over what members do, so a member joins or leaves one by those rules, never by hand.
extension ConsoleFace {
    func addMemberRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/members") { request, _ in
            try await screen(request, .members) { signed in
                let q = try ConsoleQuery(request, signed.language)
                let t = ConsoleText.catalog(signed.language)
                let text = try q.text("q"), level = try q.text("level"), group = try q.text("group")
                let levels = try signed.node.members.levels()
                let groups = try signed.node.members.groups()
                // Without a filter, the first members by id (a chain's list starts somewhere).
                let found = try signed.node.members.search(text: text, level: level, group: group)
                let more = found.more
                let tables = [
                    Self.memberTable(found.members, levels: levels, t: t), Self.levelTable(levels, t: t),
                    Self.groupTable(groups, t: t),
                ]
                if q.wantsCSV { return try ConsoleTable.csv(tables, request: request, name: "members") }
                let levelOptions: [[String: Any]] = levels.map {
                    ["value": $0.id, "label": $0.name, "selected": $0.id == level]
                }
                let groupOptions: [[String: Any]] = groups.map {
                    ["value": $0.id, "label": $0.name, "selected": $0.id == group]
                }
                let context: [String: Any] = [
                    "t": t, "q": text ?? "", "levels": levelOptions, "groups": groupOptions, "more": more,
                    "tables": tables.map { $0.render(t: t, path: "/console/members", query: q.carried) }.joined(),
                ]
                return page(request, signed, .members, title: t["members"] ?? "") {
                    ConsoleTemplates.render("members", context)
                }
            }
        }
        router.get("/console/members/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await screen(request, .members) { signed in
                let q = try ConsoleQuery(request, signed.language)
                let t = ConsoleText.catalog(signed.language)
                let offset = try signed.node.dayOffsetMillis()
                let members = signed.node.members
                let member = try members.find(id)
                let points = try members.points(of: id)
                let settings = try members.pointsSettings()
                let levels = try members.levels()
                let level = try members.level(of: id)
                let groups = try members.groups(of: id)
                let tables = [
                    Self.pointsTable(
                        try members.pointsHistory(of: id), schedule: try members.pointsSchedule(),
                        expiryDays: settings.expiry_days, offset, t,
                        orders: signed.may(.refund)),
                    Self.walletTable(try members.walletHistory(of: id), offset, t, orders: signed.may(.refund)),
                    Self.couponTable(try signed.node.marketing.coupons(heldBy: id), offset, t),
                    Self.groupTable(groups, t: t, id: "member_groups"),
                ]
                let path = "/console/members/\(Self.pathPart(id))"
                if q.wantsCSV { return try ConsoleTable.csv(tables, request: request, name: "member-\(id)") }
                let next = levels.first { $0.min_points > points.lifetime_earned }
                let profile: [[String: String]] = [
                    ("id", member.id), ("name", member.name ?? "—"), ("phone", member.phone ?? "—"),
                    ("email", member.email ?? "—"), ("address", member.address ?? "—"),
                    ("birthday", member.birthday ?? "—"),
                    ("registered", member.registered_at.map { ConsoleQuery.time($0, offsetMillis: offset) } ?? "—"),
                    ("last_login", member.last_login_at.map { ConsoleQuery.time($0, offsetMillis: offset) } ?? "—"),
                    ("home", member.home ?? "—"),
                ].map { ["label": t["member_\($0.0)"] ?? $0.0, "value": $0.1, "key": $0.0] }
                let balances: [[String: String]] = [
                    ("points", String(points.available)), ("expired", String(points.expired)),
                    ("expiring_soon", String(points.expiring_soon)), ("lifetime", String(points.lifetime_earned)),
                    ("wallet", HTML.yuan(member.wallet_cents)),
                ].map { ["label": t["member_\($0.0)"] ?? $0.0, "value": $0.1, "key": $0.0] }
                var levelContext: [String: Any] = ["name": level?.name ?? (t["member_no_level"] ?? "")]
                if let next {
                    let from = level?.min_points ?? 0
                    let span = max(next.min_points - from, 1)
                    levelContext["next"] =
                        [
                            "name": next.name, "missing": next.min_points - points.lifetime_earned,
                            "percent": min(100, max(0, (points.lifetime_earned - from) * 100 / span)),
                        ] as [String: Any]
                }
                let context: [String: Any] = [
                    "t": t, "profile": profile, "balances": balances, "level": levelContext,
                    "groups": groups.map(\.name).joined(separator: "、"),
                    "tables": tables.map { $0.render(t: t, path: path, query: q.carried) }.joined(),
                ]
                return page(request, signed, .members, title: "\(t["member"] ?? "") \(member.id)") {
                    ConsoleTemplates.render("member", context)
                }
            }
        }
    }

    static func column(_ key: String, _ t: [String: String], numeric: Bool = false) -> ConsoleTable.Column {
        ConsoleTable.Column(key: key, label: t["col_\(key)"] ?? key, numeric: numeric)
    }

    static func memberTable(_ members: [MemberListing], levels: [MemberLevel], t: [String: String]) -> ConsoleTable {
        let names = Dictionary(levels.map { ($0.id, $0.name) }) { first, _ in first }
        var table = ConsoleTable(
            id: "members", title: t["member_results"] ?? "",
            columns: ["id", "name", "phone", "level", "points", "stored_value"].map {
                column($0, t, numeric: $0 == "points" || $0 == "stored_value")
            })
        table.rows = members.map { m in
            [
                ConsoleTable.Cell(m.id, href: "/console/members/\(pathPart(m.id))"), ConsoleTable.Cell(m.name ?? ""),
                ConsoleTable.Cell(m.phone ?? ""),
                ConsoleTable.Cell(m.level.map { names[$0] ?? $0 } ?? "—", csv: m.level ?? ""), .int(m.points),
                .yuan(m.wallet_cents),
            ]
        }
        return table
    }

    static func levelTable(_ levels: [MemberLevel], t: [String: String]) -> ConsoleTable {
        var table = ConsoleTable(
            id: "levels", title: t["member_levels"] ?? "",
            columns: [
                column("id", t), column("name", t), column("min_points", t, numeric: true),
                column("min_spend", t, numeric: true), column("points_multiplier", t, numeric: true),
                column("discount_percent", t, numeric: true), column("free_shipping", t),
                column("birthday_points", t, numeric: true),
            ])
        table.rows = levels.map { l in
            [
                ConsoleTable.Cell(l.id, href: "/console/members?level=\(pathPart(l.id))"), ConsoleTable.Cell(l.name),
                .int(l.min_points), .yuan(l.min_spend_cents),
                ConsoleTable.Cell(
                    "×\(l.pointsMultiplierPercent / 100).\(String(format: "%02d", l.pointsMultiplierPercent % 100))",
                    csv: String(l.pointsMultiplierPercent)),
                ConsoleTable.Cell("\(l.discount_percent)%", csv: String(l.discount_percent)),
                ConsoleTable.Cell(l.free_shipping ? (t["yes"] ?? "yes") : "—", csv: l.free_shipping ? "yes" : "no"),
                .int(l.birthday_points),
            ]
        }
        return table
    }

    static func groupTable(_ groups: [MemberGroup], t: [String: String], id: String = "groups") -> ConsoleTable {
        var table = ConsoleTable(
            id: id, title: t[id == "groups" ? "member_groups" : "member_in_groups"] ?? "",
            columns: [
                column("id", t), column("name", t), column("min_spend", t, numeric: true),
                column("min_orders", t, numeric: true), column("days", t, numeric: true), column("region", t),
            ])
        table.rows = groups.map { g in
            [
                ConsoleTable.Cell(g.id, href: "/console/members?group=\(pathPart(g.id))"), ConsoleTable.Cell(g.name),
                .yuan(g.min_spend_cents), .int(g.min_orders), .int(g.days), ConsoleTable.Cell(g.region ?? "—"),
            ]
        }
        table.note = t["member_groups_note"]
        return table
    }

    static func pointsTable(
        _ entries: [PointsEntry], schedule: PointsExpiry.Schedule, expiryDays: Int64?, _ offset: Int64,
        _ t: [String: String], orders: Bool
    ) -> ConsoleTable {
        var table = ConsoleTable(
            id: "points", title: t["member_points_ledger"] ?? "",
            columns: [
                column("time", t), column("delta", t, numeric: true), column("reason", t), column("ref", t),
                column("expires", t), column("origin", t), column("id", t),
            ])
        table.rows = entries.map { e in
            let expires = schedule.days(earnedAt: e.at_ms).flatMap { days in
                e.delta > 0 ? ConsoleQuery.date(e.at_ms + days * ConsoleCalendar.dayMillis, offsetMillis: offset) : nil
            }
            return [
                ConsoleTable.Cell(ConsoleQuery.time(e.at_ms, offsetMillis: offset)),
                ConsoleTable.Cell(e.delta > 0 ? "+\(e.delta)" : String(e.delta), csv: String(e.delta)),
                reasonCell(e.reason, t), refCell(e.ref ?? "", orders: orders),
                ConsoleTable.Cell(expires ?? "—", csv: expires ?? ""),
                ConsoleTable.Cell(e.origin), ConsoleTable.Cell(e.id),
            ]
        }
        table.note = expiryDays.map { (t["member_expiry_note"] ?? "").replacingOccurrences(of: "%d", with: "\($0)") }
        return table
    }

    static func walletTable(_ entries: [WalletEntry], _ offset: Int64, _ t: [String: String], orders: Bool)
        -> ConsoleTable
    {
        var table = ConsoleTable(
            id: "wallet", title: t["member_wallet_ledger"] ?? "",
            columns: [
                column("time", t), column("amount", t, numeric: true), column("reason", t), column("ref", t),
                column("origin", t), column("id", t),
            ])
        table.rows = entries.map { e in
            [
                ConsoleTable.Cell(ConsoleQuery.time(e.at_ms, offsetMillis: offset)), .yuan(e.delta_cents),
                reasonCell(e.reason, t), refCell(e.ref ?? "", orders: orders), ConsoleTable.Cell(e.origin),
                ConsoleTable.Cell(e.id),
            ]
        }
        return table
    }

    static func couponTable(_ coupons: [HeldCoupon], _ offset: Int64, _ t: [String: String]) -> ConsoleTable {
        var table = ConsoleTable(
            id: "coupons", title: t["member_coupons"] ?? "",
            columns: [
                column("code", t), column("source", t), column("amount", t, numeric: true),
                column("min_spend", t, numeric: true), column("ends", t), column("status", t),
            ])
        table.rows = coupons.map { c in
            let ends = c.ends_at.map { ConsoleQuery.time($0, offsetMillis: offset) }
            return [
                ConsoleTable.Cell(c.code), ConsoleTable.Cell(t["source_\(c.source)"] ?? c.source, csv: c.source),
                .yuan(c.amount_cents), .yuan(c.min_spend_cents), ConsoleTable.Cell(ends ?? "—", csv: ends ?? ""),
                ConsoleTable.Cell(t["coupon_\(c.status)"] ?? c.status, csv: c.status),
            ]
        }
        return table
    }

    /// An order id as a link to its story on the orders screen (for roles that may open it);
    /// other references (refunds, items) as text.
    static func refCell(_ ref: String, orders: Bool) -> ConsoleTable.Cell {
        guard orders, ref.hasPrefix("O-") else { return ConsoleTable.Cell(ref) }
        return ConsoleTable.Cell(ref, href: "/console/orders/\(pathPart(ref))")
    }

    static func reasonCell(_ reason: String?, _ t: [String: String]) -> ConsoleTable.Cell {
        ConsoleTable.Cell(reason.map { t["reason_\($0)"] ?? $0 } ?? "—", csv: reason ?? "")
    }
}
