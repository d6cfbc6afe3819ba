import Commerce
import Hummingbird
import Node
import Replication

/// Shifts at the till: open with the float in the drawer, close with the cash counted, the Z
/// report. Plain forms (they work before the script loads) and the same as JSON.
extension TillFace {
    func addShiftRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/till/shift") { request, _ in
            try await shiftPage(request, error: nil)
        }
        router.post("/till/shift/open") { request, _ in
            let form = try await Form.read(request)
            do {
                let (session, seller) = try await signedIn(request)
                let float = try Self.amount(form["float"], .float)
                _ = try await blocking { try seller.till.openShift(till: session.till, float: float) }
                return redirect("/till/sale")
            } catch let error as NodeError where error.code != .unauthorized {
                return try await shiftPage(request, error: error)
            }
        }
        router.post("/till/shift/close") { request, _ in
            let form = try await Form.read(request)
            do {
                let (session, seller) = try await signedIn(request)
                var counted: [PaymentMethod: Money] = [.cash: try Self.amount(form["counted"], .counted)]
                for method in [PaymentMethod.card, .wechat, .alipay] {
                    if let text = blankToNil(form["counted_\(method.rawValue)"]) {
                        counted[method] = try Self.amount(text, .counted)
                    }
                }
                let count = counted
                let approval = blankToNil(form["manager"]).map {
                    TillAPI.Approval(user: $0, pin: form["manager_pin"] ?? "")
                }
                let report = try await blocking {
                    try Self.closeOpenShift(seller, till: session.till, counted: count, approvedBy: approval)
                }
                return redirect("/till/z/\(report.shift.id)")
            } catch let error as NodeError where error.code != .unauthorized {
                return try await shiftPage(request, error: error)
            }
        }
        router.get("/till/z/{id}") { request, context in
            let id = try TillInputText.code(try context.parameters.require("id"), .shift)
            let seller = try await cashier(request)
            let report = try await blocking { try seller.till.zReport(id) }
            return try await page(request, .shift) { layout in
                layout.page(
                    title: TillText.zReport.text(layout.language), tab: .shift,
                    main: TillShiftPage(layout: layout).zReport(report), bodyClass: "receipt-page")
            }
        }
        router.get("/till/api/shift") { request, _ in
            let (session, seller) = try await signedIn(request)
            return jsonValue(try await blocking { try seller.till.currentShift(till: session.till) })
        }
        router.post("/till/shift/cash") { request, _ in
            let form = try await Form.read(request)
            do {
                let (session, seller) = try await signedIn(request)
                let amount = try Self.amount(form["amount"], .amount)
                let direction = try Self.direction(form["direction"])
                let reason = form["reason"] ?? ""
                _ = try await blocking {
                    try Self.moveCash(seller, till: session.till, direction, amount: amount, reason: reason)
                }
                return redirect("/till/shift")
            } catch let error as NodeError where error.code != .unauthorized {
                return try await shiftPage(request, error: error)
            }
        }
        router.post("/till/api/shift/cash") { request, _ in
            let body = try await decode(TillAPI.CashMove.self, request)
            let (session, seller) = try await signedIn(request)
            let direction = try Self.direction(body.direction)
            return jsonValue(
                try await blocking {
                    try Self.moveCash(
                        seller, till: session.till, direction, amount: Money(cents: body.amount_cents),
                        reason: body.reason)
                }, status: .created)
        }
        router.post("/till/api/shift/close") { request, _ in
            let body = try await decode(TillAPI.CloseShift.self, request)
            let (session, seller) = try await signedIn(request)
            var counted: [PaymentMethod: Money] = [.cash: Money(cents: body.cash_cents)]
            for (name, cents) in body.counted ?? [:] {
                guard let method = PaymentMethod(rawValue: name) else {
                    throw NodeError(.invalidInput, "\(Field.counted) names an unknown method \(name)", field: .counted)
                }
                counted[method] = Money(cents: cents)
            }
            let count = counted
            let approval = body.manager.map { TillAPI.Approval(user: $0, pin: body.manager_pin ?? "") }
            return jsonValue(
                try await blocking {
                    try Self.closeOpenShift(seller, till: session.till, counted: count, approvedBy: approval)
                })
        }
        router.post("/till/api/shift/open") { request, _ in
            let body = try await decode(TillAPI.OpenShift.self, request)
            let (session, seller) = try await signedIn(request)
            return jsonValue(
                try await blocking {
                    try seller.till.openShift(till: session.till, float: Money(cents: body.float_cents))
                }, status: .created)
        }
    }

    /// The shift page: the open shift with its running Z report and the close form, or the
    /// open form.
    func shiftPage(_ request: Request, error: NodeError?) async throws -> Response {
        var current: (ShiftView, ZReportView)?
        var limit = Till.defaultDifferenceLimit.cents
        if let (session, node) = try? await signedIn(request) {
            limit = (try? await blocking { try node.till.differenceLimit().limit_cents }) ?? limit
            current = try await blocking { () throws -> (ShiftView, ZReportView)? in
                guard let shift = try node.till.currentShift(till: session.till) else { return nil }
                return (shift, try node.till.zReport(shift.id))
            }
        }
        let shown = current
        let shownLimit = limit
        let status: HTTPResponse.Status = error.map { HTTPResponse.Status(code: $0.httpStatus) } ?? .ok
        var response = try await page(request, .shift) { layout in
            layout.page(
                title: TillText.shift.text(layout.language), tab: .shift,
                main: TillShiftPage(layout: layout).main(current: shown, error: error, limitCents: shownLimit))
        }
        if response.status == .ok { response.status = status }
        return response
    }

    /// Closes the till's open shift, with a manager's approval when one was given.
    static func closeOpenShift(
        _ cashier: FenxiaoNode, till: String, counted: [PaymentMethod: Money], approvedBy: TillAPI.Approval?
    ) throws -> ZReportView {
        guard let shift = try cashier.till.currentShift(till: till) else {
            throw NodeError(.conflict, "no shift is open at till \(till)", field: .shift)
        }
        return try seller(cashier, approvedBy: approvedBy).till.closeShift(shift.id, counted: counted)
    }

    /// Cash in / out of the till's open shift.
    static func moveCash(
        _ cashier: FenxiaoNode, till: String, _ direction: CashMove.Direction, amount: Money, reason: String
    ) throws -> CashMoveView {
        guard let shift = try cashier.till.currentShift(till: till) else {
            throw NodeError(.conflict, "no shift is open at till \(till): open one first", field: .shift)
        }
        return try cashier.till.moveCash(shift: shift.id, direction, amount: amount, reason: reason)
    }

    /// `in` or `out`.
    static func direction(_ text: String?) throws -> CashMove.Direction {
        guard let text, let direction = CashMove.Direction(rawValue: text) else {
            throw NodeError(.invalidInput, "\(Field.direction) must be in or out", field: .direction)
        }
        return direction
    }

    /// An amount in yuan typed in a form (`200`, `200.50`), or a 400 naming the field.
    static func amount(_ text: String?, _ field: Field) throws -> Money {
        guard let text = blankToNil(text), text.count <= 32, let money = Money(parsing: TillInputText.halfWidth(text)),
            money.cents >= 0
        else {
            throw NodeError(.invalidInput, "\(field) must be an amount in yuan, e.g. 200.00", field: field)
        }
        return money
    }
}
