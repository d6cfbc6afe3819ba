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
                let report = try await blocking { () throws -> ZReportView in
                    guard let shift = try seller.till.currentShift(till: session.till) else {
                        throw NodeError(.conflict, "no shift is open at till \(session.till)", field: .shift)
                    }
                    return try seller.till.closeShift(shift.id, counted: count)
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
        if let (session, node) = try? await signedIn(request) {
            current = try await blocking { () throws -> (ShiftView, ZReportView)? in
                guard let shift = try node.till.currentShift(till: session.till) else { return nil }
                return (shift, try node.till.zReport(shift.id))
            }
        }
        let shown = current
        let status: HTTPResponse.Status = error.map { HTTPResponse.Status(code: $0.httpStatus) } ?? .ok
        var response = try await page(request, .shift) { layout in
            layout.page(
                title: TillText.shift.text(layout.language), tab: .shift,
                main: TillShiftPage(layout: layout).main(current: shown, error: error))
        }
        if response.status == .ok { response.status = status }
        return response
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
