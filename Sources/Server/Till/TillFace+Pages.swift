import Commerce
import Hummingbird
import Node

/// The till's pages: server-rendered HTML in the cashier's language; the script makes the sale
/// and after-sale screens interactive through the JSON API.
extension TillFace {
    func addPageRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/till") { _, _ in Response(status: .seeOther, headers: [.location: "/till/sale"]) }
        router.get("/till/sale") { request, _ in
            try await page(request, .sale) { layout in
                layout.page(
                    title: TillText.sale.text(layout.language), tab: .sale, main: TillSalePage(layout: layout).main)
            }
        }
        router.get("/till/after-sale") { request, _ in
            try await page(request, .afterSale) { layout in
                layout.page(
                    title: TillText.afterSale.text(layout.language), tab: .afterSale,
                    main: TillAfterSalePage(layout: layout).main)
            }
        }
        router.get("/till/receipt/{id}") { request, context in
            let id = try TillInputText.code(try context.parameters.require("id"), .id)
            let seller = try await cashier(request)
            let receipt = try await blocking { try seller.till.receipt(id) }
            return try await page(request, .none) { layout in
                layout.page(
                    title: TillText.receipt.text(layout.language), tab: .none,
                    main: TillReceiptPage(layout: layout, receipt: receipt).main,
                    bodyClass: "receipt-page")
            }
        }
    }

    /// A page for the signed-in cashier, with the status light as it is now; without a live
    /// session, the login page (or the enrolment page, for a browser that is not a till yet).
    func page(_ request: Request, _ tab: TillLayout.Tab, _ render: @Sendable (TillLayout) -> String) async throws
        -> Response
    {
        let language = TillLanguage.of(request)
        let session: TillSession
        do {
            session = try await signedIn(request).session
        } catch let error as NodeError where error.code == .unauthorized {
            return redirect(cookie(request, Self.tillCookie) == nil ? "/till/enroll" : "/till/login")
        }
        let node = self.node, health = self.health
        let status = try await blocking { try TillStatus.read(node: node, health: health) }
        let layout = TillLayout(language: language, store: storeName, cashier: session.user, status: status)
        return html(render(layout), request: request, language: language)
    }

    /// An HTML answer; a `?lang=` switch is remembered in a cookie of this browser.
    func html(_ body: String, request: Request, language: TillLanguage, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if request.uri.queryParameters.get("lang") != nil {
            headers[.setCookie] = "fenxiao_lang=\(language.rawValue); Path=/till; Max-Age=31536000; SameSite=Strict"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
