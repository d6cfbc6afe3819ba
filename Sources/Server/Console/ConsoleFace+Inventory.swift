import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// `/console/inventory`: low-stock alerts, stock per SKU per warehouse (on hand, reserved,
/// available, threshold; search by SKU; CSV), transfers with those in transit first, and the
/// forms of `fenxiao stock transfer`, `receive-transfer` and `threshold`;
/// `/console/inventory/history?sku=` is a SKU's levels and movements (`fenxiao stock history`).
extension ConsoleFace {
    func addInventoryRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/inventory") { request, _ in
            try await screen(request, .inventory) { signed in
                let t = ConsoleText.catalog(signed.language)
                let search = try ConsoleInput.text(request.uri.queryParameters.get("sku"), "sku", max: 64)
                let found = try signed.node.inventory.stock(search: search, limit: Self.stockRows + 1)
                let stock = Array(found.prefix(Self.stockRows))
                let alerts = try signed.node.inventory.alerts()
                let transfers = try signed.node.inventory.transfers().sorted {
                    ($0.status == "in_transit" ? 0 : 1, $1.id) < ($1.status == "in_transit" ? 0 : 1, $0.id)
                }
                let warehouses = Set(stock.map(\.warehouse) + transfers.flatMap { [$0.from, $0.to] }).sorted()
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "search": search ?? "",
                    "csvQuery": Self.query(["sku": search]),
                    "stock": stock.map { s in
                        [
                            "sku": s.sku, "warehouse": s.warehouse, "onHand": s.on_hand, "reserved": s.reserved,
                            "available": s.available, "threshold": s.threshold.map(String.init) ?? "—", "low": s.low,
                            "href": "/console/inventory/history?" + Self.query(["sku": s.sku]),
                        ] as [String: Any]
                    },
                    "stockEmpty": stock.isEmpty, "stockMore": found.count > Self.stockRows,
                    "alerts": alerts.map {
                        [
                            "sku": $0.sku, "warehouse": $0.warehouse, "available": $0.available,
                            "threshold": $0.threshold,
                            "href": "/console/inventory/history?" + Self.query(["sku": $0.sku]),
                        ] as [String: Any]
                    },
                    "alertsEmpty": alerts.isEmpty, "alertCount": alerts.count,
                    "transfers": transfers.map { tr in
                        [
                            "id": tr.id, "sku": tr.sku, "qty": tr.qty, "from": tr.from, "to": tr.to,
                            "status": t["transfer.\(tr.status)"] ?? tr.status, "inTransit": tr.status == "in_transit",
                            "received": tr.received_qty.map(String.init) ?? "—",
                        ] as [String: Any]
                    },
                    "transfersEmpty": transfers.isEmpty,
                    "warehouses": warehouses,
                ]
                return page(request, signed, .inventory, title: t["inventory"] ?? "") {
                    ConsoleTemplates.render("inventory", context)
                }
            }
        }
        router.get("/console/inventory.csv") { request, _ in
            try await screen(request, .inventory) { signed in
                let search = try ConsoleInput.text(request.uri.queryParameters.get("sku"), "sku", max: 64)
                return CSV.response(
                    [["sku", "warehouse", "on_hand", "reserved", "available", "threshold", "low"]]
                        + (try signed.node.inventory.stock(search: search, limit: 100_000)).map {
                            [
                                $0.sku, $0.warehouse, String($0.on_hand), String($0.reserved), String($0.available),
                                $0.threshold.map(String.init) ?? "", $0.low ? "yes" : "",
                            ]
                        }, name: "stock")
            }
        }
        router.get("/console/inventory/history") { request, _ in
            try await screen(request, .inventory) { signed in
                let t = ConsoleText.catalog(signed.language)
                let sku = try ConsoleInput.required(request.uri.queryParameters.get("sku"), "sku", max: 64)
                let levels = try signed.node.inventory.levels(sku: sku)
                let moves = try signed.node.inventory.history(sku: sku).reversed()
                let offset = try signed.node.dayOffsetMillis()
                let context: [String: Any] = [
                    "t": t, "sku": sku,
                    "levels": levels.map {
                        [
                            "warehouse": $0.warehouse, "onHand": $0.on_hand, "reserved": $0.reserved,
                            "available": $0.available,
                        ] as [String: Any]
                    },
                    "moves": moves.map { m in
                        [
                            "at": ConsoleInput.time(HLC(rawValue: m.hlc).wallMillis, offsetMillis: offset),
                            "warehouse": m.warehouse,
                            "reason": t["reason.\(m.reason)"] ?? m.reason, "qty": m.qty > 0 ? "+\(m.qty)" : "\(m.qty)",
                            "ref": m.ref ?? "", "origin": m.origin,
                            "orderHref": Self.orFalse(
                                Self.orderReasons.contains(m.reason) ? m.ref.map { "/console/orders/\($0)" } : nil),
                        ] as [String: Any]
                    },
                    "movesEmpty": moves.isEmpty,
                ]
                return page(request, signed, .inventory, title: "\(t["history"] ?? "") · \(sku)") {
                    ConsoleTemplates.render("inventory_history", context)
                }
            }
        }
        router.post("/console/inventory/transfer") { request, _ in
            try await action(request, .inventory) { signed, form in
                let sku = try ConsoleInput.required(form["sku"], "sku", max: 64)
                guard let qty = try ConsoleInput.quantity(form["qty"], "quantity") else {
                    throw NodeError(.invalidInput, "\(Field.quantity) is required")
                }
                let from = try ConsoleInput.text(form["from"], "from", max: 32)
                let to = try ConsoleInput.required(form["to"], "to", max: 32)
                _ = try signed.node.inventory.transfer(sku: sku, quantity: qty, from: from, to: to)
                return "/console/inventory#transfers"
            }
        }
        router.post("/console/inventory/transfers/:id/receive") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .inventory) { signed, form in
                let qty = try ConsoleInput.quantity(form["qty"], "quantity", 0...1_000_000)
                _ = try signed.node.inventory.receiveTransfer(id: id, quantity: qty)
                return "/console/inventory#transfers"
            }
        }
        router.post("/console/inventory/threshold") { request, _ in
            try await action(request, .inventory) { signed, form in
                let sku = try ConsoleInput.required(form["sku"], "sku", max: 64)
                guard let qty = try ConsoleInput.quantity(form["qty"], "threshold", 0...1_000_000) else {
                    throw NodeError(.invalidInput, "\(Field(rawValue: "threshold")) is required")
                }
                let warehouse = try ConsoleInput.text(form["warehouse"], "warehouse", max: 32)
                _ = try signed.node.inventory.setThreshold(sku: sku, quantity: qty, warehouse: warehouse)
                return "/console/inventory?" + Self.query(["sku": sku])
            }
        }
    }

    /// Rows of the stock table on the page (the CSV has them all).
    static let stockRows = 500

    /// Movements whose `ref` is an order.
    static let orderReasons: Set<String> = ["sale", "allocate", "release", "return", "reallocate"]

    /// A template value: the text, or `false` so a `{{#section}}` is skipped.
    static func orFalse(_ text: String?) -> Any { text ?? false }
}
