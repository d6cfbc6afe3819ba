import Commerce
import Foundation
import Hummingbird
import Node
import Replication
import Storage

/// `/console/orders`: order search (member by phone or id, store, SKU, date range in the
/// node's time zone, status; 50 a page; CSV of the whole result) and each order's full story
/// at `/console/orders/<id>` with its actions (``addOrderActionRoutes(_:)``).
extension ConsoleFace {
    /// The search form, read from the query; every value is checked before it reaches the use case.
    struct OrderSearch: Sendable {
        static let pageSize = 50
        var member: String?
        var store: String?
        var sku: String?
        var from: String?
        var to: String?
        var status: OrderStatus?
        var page: Int

        init(_ request: Request) throws(NodeError) {
            let q = request.uri.queryParameters
            member = try ConsoleInput.text(q.get("member"), "member", max: 64)
            store = try ConsoleInput.text(q.get("store"), "store", max: 32)
            sku = try ConsoleInput.text(q.get("sku"), "sku", max: 64)
            from = try ConsoleInput.text(q.get("from"), "from", max: 10)
            to = try ConsoleInput.text(q.get("to"), "to", max: 10)
            if let s = try ConsoleInput.text(q.get("status"), "status", max: 16) {
                guard let status = OrderStatus(rawValue: s) else {
                    throw NodeError(
                        .invalidInput,
                        "\(Field.status) must be one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                self.status = status
            }
            page = Int(try ConsoleInput.quantity(q.get("page"), "page", 1...10_000) ?? 1)
        }

        /// The use case's filter: a member given by phone is found by it (else taken as an id);
        /// dates are local days, `to` included.
        func filter(_ node: FenxiaoNode) throws(NodeError) -> StoreReader.OrderFilter {
            let offset = try node.dayOffsetMillis()
            let start = try ConsoleInput.day(from, "from", offsetMillis: offset)
            let end = try ConsoleInput.day(to, "to", offsetMillis: offset).map { $0 + 86_400_000 }
            var who = member
            if let m = member, m.allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" }),
                let found = try? node.till.findMember(phone: m)
            {
                who = found.id
            }
            return StoreReader.OrderFilter(status: status, member: who, store: store, sku: sku, from: start, to: end)
        }

        /// The query of this search (without the page).
        var query: String {
            ConsoleFace.query([
                "member": member, "store": store, "sku": sku, "from": from, "to": to, "status": status?.rawValue,
            ])
        }
    }

    /// The routes of the inventory, orders and refund-request screens.
    func addOrdersAreaRoutes(_ router: Router<BasicRequestContext>) {
        addInventoryRoutes(router)
        addOrderRoutes(router)
    }

    func addOrderRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/orders") { request, _ in
            try await screen(request, .orders) { signed in
                let t = ConsoleText.catalog(signed.language)
                let search = try OrderSearch(request)
                let size = OrderSearch.pageSize
                let found = try signed.node.orders.list(
                    matching: try search.filter(signed.node), limit: size + 1, offset: (search.page - 1) * size)
                let offset = try signed.node.dayOffsetMillis()
                let rows: [[String: Any]] = found.prefix(size).map { Self.orderRow($0, t, offset: offset) }
                let statuses: [[String: Any]] = OrderStatus.allCases.map {
                    [
                        "value": $0.rawValue, "label": t["order.\($0.rawValue)"] ?? $0.rawValue,
                        "selected": $0 == search.status,
                    ]
                }
                let base = "/console/orders?" + search.query + (search.query.isEmpty ? "" : "&")
                var context: [String: Any] = [
                    "t": t, "member": search.member ?? "", "store": search.store ?? "", "sku": search.sku ?? "",
                    "from": search.from ?? "", "to": search.to ?? "", "statuses": statuses, "orders": rows,
                    "empty": rows.isEmpty, "csvQuery": search.query, "page": search.page,
                ]
                if search.page > 1 { context["prev"] = base + "page=\(search.page - 1)" }
                if found.count > size { context["next"] = base + "page=\(search.page + 1)" }
                return page(request, signed, .orders, title: t["orders_screen"] ?? "") {
                    ConsoleTemplates.render("orders", context)
                }
            }
        }
        router.get("/console/orders.csv") { request, _ in
            try await screen(request, .orders) { signed in
                let search = try OrderSearch(request)
                let found = try signed.node.orders.list(matching: try search.filter(signed.node), limit: 100_000)
                let offset = try signed.node.dayOffsetMillis()
                return CSV.response(
                    [
                        [
                            "id", "created", "store", "member", "channel", "status", "total", "paid", "refunded",
                            "carrier", "tracking",
                        ]
                    ]
                        + found.map { o in
                            [
                                o.id, o.created_at.map { ConsoleInput.time($0, offsetMillis: offset) } ?? "",
                                o.store ?? "", o.member ?? "", o.channel ?? "", o.status, CSV.yuan(o.total_cents),
                                CSV.yuan(o.paid_cents), CSV.yuan(o.refunded_cents), o.carrier ?? "", o.tracking ?? "",
                            ]
                        }, name: "orders")
            }
        }
        router.get("/console/orders/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await screen(request, .orders) { signed in
                let t = ConsoleText.catalog(signed.language)
                let story = try signed.node.orders.story(id)
                let offset = try signed.node.dayOffsetMillis()
                let language: Language = signed.language == .zh ? .chinese : .english
                var body = Self.storyContext(story, t, offset: offset, language: language, csrf: signed.session.csrf)
                // A mall order's ship-to address (head office ships it).
                body["shipTo"] =
                    try signed.node.members.shipTo(order: id).map {
                        ["name": $0.name, "phone": $0.phone, "address": $0.address] as [String: Any]
                    } ?? false
                return page(request, signed, .orders, title: "\(t["order"] ?? "") \(id)") {
                    ConsoleTemplates.render("order", body)
                }
            }
        }
        addOrderActionRoutes(router)
        addRefundRequestRoutes(router)
    }

    /// One row of the order list.
    static func orderRow(_ o: OrderView, _ t: [String: String], offset: Int64) -> [String: Any] {
        [
            "id": o.id, "href": "/console/orders/\(o.id)",
            "created": o.created_at.map { ConsoleInput.time($0, offsetMillis: offset) } ?? "—", "store": o.store ?? "—",
            "member": o.member ?? "—", "channel": t["channel.\(o.channel ?? "")"] ?? o.channel ?? "—",
            "status": t["order.\(o.status)"] ?? o.status, "statusKey": o.status, "total": HTML.yuan(o.total_cents),
            "paid": HTML.yuan(o.paid_cents), "refunded": o.refunded_cents > 0 ? HTML.yuan(o.refunded_cents) : "—",
        ]
    }
}
