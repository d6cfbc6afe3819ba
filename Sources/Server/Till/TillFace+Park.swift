import Commerce
import Hummingbird
import Node
import Replication

/// Parked sales (挂单/取单): the cashier parks the cart to serve the next customer and any till
/// of the store resumes it. Held by the store node (node-local), not the browser, so another
/// till can resume it and a browser crash loses nothing.
extension TillFace {
    func addParkRoutes(_ router: Router<BasicRequestContext>) {
        let api = router.group("/till/api")
        api.get("parked") { request, _ in
            let (session, seller) = try await signedIn(request)
            return jsonValue(try await blocking { try seller.till.parked(for: session.till) })
        }
        api.post("parked") { request, _ in
            let cart = try await decode(TillAPI.Cart.self, request)
            let (session, seller) = try await signedIn(request)
            let language = TillLanguage.of(request).language
            return jsonValue(
                try await blocking { () throws -> ParkedSaleView in
                    let total = try Self.quote(cart, seller, in: language).total_cents
                    let parked = ParkedCart(
                        lines: cart.lines.map { ParkedCart.Line(sku: $0.sku, qty: $0.qty) },
                        member: blankToNil(cart.member), coupon: blankToNil(cart.coupon), points: cart.points)
                    return try seller.till.park(till: session.till, cart: parked, total: Money(cents: total))
                }, status: .created)
        }
        api.post("parked/{id}/resume") { request, context in
            let id = try context.parameters.require("id")
            let (session, seller) = try await signedIn(request)
            return jsonValue(try await blocking { try seller.till.resume(id, at: session.till) })
        }
    }
}
