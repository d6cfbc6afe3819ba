import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// The order page's actions, as `fenxiao order ship` (carrier and tracking number required
/// here; units per line for a partial parcel), `order refund` (an amount or units per line,
/// within the role's refund limit) and `order cancel` (a pending order); and
/// `/console/refunds`, the refund requests with approve / reject and a note, as
/// `fenxiao order refund-decide`.
extension ConsoleFace {
    func addOrderActionRoutes(_ router: Router<BasicRequestContext>) {
        router.post("/console/orders/:id/ship") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .orders) { signed, form in
                let carrier = try ConsoleInput.required(form["carrier"], "carrier", max: 64)
                let tracking = try ConsoleInput.required(form["tracking"], "tracking", max: 64)
                let lines = try Self.lineQuantities(form, prefix: "ship_").map {
                    ShipmentLine(line: $0.line, quantity: $0.qty)
                }
                if lines.isEmpty {
                    _ = try signed.node.orders.transition(order: id, to: .shipped, carrier: carrier, tracking: tracking)
                } else {
                    _ = try signed.node.orders.shipLines(order: id, lines: lines, carrier: carrier, tracking: tracking)
                }
                return "/console/orders/\(id)"
            }
        }
        router.post("/console/orders/:id/refund") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .orders) { signed, form in
                let amount = try ConsoleInput.money(form["amount"], "amount")
                let reason = try ConsoleInput.text(form["reason"], "reason")
                let lines = try Self.lineQuantities(form, prefix: "refund_").map {
                    RefundLine(line: $0.line, quantity: $0.qty)
                }
                _ = try signed.node.orders.refund(
                    order: id, amount: amount, reason: reason, restock: form["restock"] == "on", lines: lines)
                return "/console/orders/\(id)"
            }
        }
        router.post("/console/orders/:id/cancel") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .orders) { signed, _ in
                _ = try signed.node.orders.transition(order: id, to: .cancelled)
                return "/console/orders/\(id)"
            }
        }
    }

    /// The non-empty `<prefix><line>` quantities of a form, by line.
    static func lineQuantities(_ form: Form, prefix: String) throws(NodeError) -> [(line: Int, qty: Int64)] {
        var lines: [(line: Int, qty: Int64)] = []
        for (name, value) in form.fields where name.hasPrefix(prefix) {
            guard let line = Int(name.dropFirst(prefix.count)), (1...10_000).contains(line) else {
                throw NodeError(.invalidInput, "\(Field.line) \(name.dropFirst(prefix.count)) is not a line number")
            }
            if let qty = try ConsoleInput.quantity(value, "quantity", 0...1_000_000), qty > 0 {
                lines.append((line, qty))
            }
        }
        return lines.sorted { $0.line < $1.line }
    }

    func addRefundRequestRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/refunds") { request, _ in
            try await screen(request, .orders) { signed in
                let t = ConsoleText.catalog(signed.language)
                let asked = request.uri.queryParameters.get("status") ?? "requested"
                let status = RefundRequestRegister.Status(rawValue: asked)
                guard status != nil || asked == "all" else {
                    throw NodeError(.invalidInput, "\(Field.status) must be requested, approved, rejected or all")
                }
                let requests = try signed.node.orders.refundRequests(status: status)
                let rows: [[String: Any]] = requests.map { q in
                    [
                        "id": q.id, "order": q.order, "href": "/console/orders/\(q.order)",
                        "amount": q.amount_cents.map(HTML.yuan) ?? (t["all_left"] ?? ""),
                        "restock": q.restock ? (t["yes"] ?? "") : (t["no"] ?? ""), "reason": q.reason ?? "—",
                        "status": t[q.status] ?? q.status, "requested": q.status == "requested",
                        "decided": [q.decided_by, q.note].compactMap { $0 }.joined(separator: " · "),
                    ]
                }
                let statuses: [[String: Any]] = ["requested", "approved", "rejected", "all"].map {
                    ["value": $0, "label": t[$0] ?? $0, "selected": $0 == asked]
                }
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "requests": rows, "empty": rows.isEmpty,
                    "statuses": statuses,
                ]
                return page(request, signed, .orders, title: t["refund_requests"] ?? "") {
                    ConsoleTemplates.render("refunds", context)
                }
            }
        }
        router.post("/console/refunds/:id/decide") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .orders) { signed, form in
                guard let decision = form["decision"], decision == "approve" || decision == "reject" else {
                    throw NodeError(.invalidInput, "\(Field(rawValue: "decision")) must be approve or reject")
                }
                let note = try ConsoleInput.text(form["note"], "note")
                _ = try signed.node.orders.decideRefund(request: id, approve: decision == "approve", note: note)
                return "/console/refunds"
            }
        }
    }
}
