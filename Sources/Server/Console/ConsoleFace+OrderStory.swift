import Commerce
import Foundation
import Node
import Storage

/// The template context of `/console/orders/<id>`: the order's lines, pricing, payments,
/// refunds, shipment, status steps, changes, refund requests and conflicts, and the forms its
/// status allows (ship when paid, cancel when pending, refund while money is left).
extension ConsoleFace {
    static func storyContext(
        _ story: OrderStory, _ t: [String: String], offset: Int64, language: Language, csrf: String
    ) -> [String: Any] {
        let o = story.order
        func time(_ ms: Int64) -> String { ConsoleInput.time(ms, offsetMillis: offset) }
        func method(_ m: String) -> String { t["pay.\(m)"] ?? m }
        let lines: [[String: Any]] = o.lines.map { l in
            [
                "line": l.line, "sku": l.sku, "name": l.name, "qty": l.qty, "unit": HTML.yuan(l.unit_cents),
                "discount": l.discount_cents > 0 ? HTML.yuan(l.discount_cents) : "—",
                "amount": HTML.yuan(l.amount_cents),
                "refunded": l.refunded_qty > 0 ? "\(l.refunded_qty) · \(HTML.yuan(l.refunded_cents))" : "—",
                "left": l.qty - l.refunded_qty,
            ]
        }
        let payments: [[String: Any]] = o.payments.map { p in
            [
                "id": p.id, "method": method(p.method),
                "amount": p.method == "points" ? "\(p.amount_cents) \(t["points"] ?? "")" : HTML.yuan(p.amount_cents),
                "reference": p.reference ?? "—", "shift": p.shift ?? "—",
            ]
        }
        let refunds: [[String: Any]] = o.refunds.map { r in
            [
                "id": r.id, "amount": HTML.yuan(r.amount_cents), "method": r.method.map(method) ?? "—",
                "reason": r.reason ?? "—", "origin": r.origin,
            ]
        }
        let steps: [[String: Any]] = story.steps.map { s in
            [
                "status": t["order.\(s.status)"] ?? s.status, "origin": s.origin, "at": time(s.at_millis),
                "parcel": orFalse(s.carrier.map { "\($0) \(s.tracking ?? "")" }),
            ]
        }
        let changes: [[String: Any]] = story.changes.map { c in
            [
                "id": c.id, "at": time(c.at_millis), "kind": t["kind.\(c.kind)"] ?? c.kind, "entity": c.entity,
                "op": t["op.\(c.op)"] ?? c.op, "status": c.status.map { t["order.\($0)"] ?? $0 } ?? "",
            ]
        }
        let requests: [[String: Any]] = story.refundRequests.map { q in
            [
                "id": q.id, "amount": q.amount_cents.map(HTML.yuan) ?? (t["all_left"] ?? ""),
                "reason": q.reason ?? "—", "status": t[q.status] ?? q.status, "requested": q.status == "requested",
                "note": q.note ?? "",
            ]
        }
        let conflicts: [[String: Any]] = story.conflicts.map { c in
            [
                "id": c.id, "rule": c.rule, "text": c.text(in: language), "open": c.status == "open",
                "status": t[c.status == "open" ? "open" : "resolved"] ?? c.status,
                "href": "/console/conflicts?" + query(["kind": c.rule, "status": "all"]),
            ]
        }
        let left = o.paid_cents - o.refunded_cents
        let shipment: Any =
            o.carrier.map { ["carrier": $0, "tracking": o.tracking ?? "—"] as [String: Any] } ?? false
        return [
            "t": t, "csrf": csrf, "id": o.id, "status": t["order.\(o.status)"] ?? o.status, "statusKey": o.status,
            "store": o.store ?? "—", "member": o.member ?? "—", "channel": t["channel.\(o.channel ?? "")"] ?? "—",
            "created": o.created_at.map(time) ?? "—", "warehouse": o.warehouse ?? "—", "coupon": o.coupon ?? "—",
            "closes": o.closes_at.map(time) ?? t["never_closes"] ?? "—",
            "subtotal": HTML.yuan(o.subtotal_cents), "discount": HTML.yuan(o.discount_cents),
            "total": HTML.yuan(o.total_cents), "paid": HTML.yuan(o.paid_cents),
            "refunded": HTML.yuan(o.refunded_cents), "left": HTML.yuan(left), "lines": lines,
            "payments": payments, "paymentsEmpty": payments.isEmpty, "refunds": refunds,
            "refundsEmpty": refunds.isEmpty, "shipment": shipment, "steps": steps, "changes": changes,
            "requests": requests, "requestsEmpty": requests.isEmpty, "conflicts": conflicts,
            "conflictsEmpty": conflicts.isEmpty, "canShip": o.status == OrderStatus.paid.rawValue,
            "canCancel": o.status == OrderStatus.pending.rawValue, "canRefund": left > 0,
        ]
    }
}
