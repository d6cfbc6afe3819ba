import Commerce
import Foundation
import Hummingbird
import Node

/// The member's address book: add, edit, delete, set the default (at most 20; central only,
/// never replicated).
extension MallFace {
    func addAddressRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/addresses") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await addressesPage(request, signed, me, error: nil)
        }
        router.post("/mall/addresses") { request, _ in
            try await addressAction(request, id: nil) { me, form in
                _ = try me.addAddress(Self.addressInput(form), makeDefault: form["default"] != nil)
            }
        }
        router.post("/mall/addresses/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await addressAction(request, id: id) { me, form in
                _ = try me.editAddress(id: id, Self.addressInput(form), makeDefault: form["default"] != nil)
            }
        }
        router.post("/mall/addresses/:id/delete") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await addressAction(request, id: id) { me, _ in try me.deleteAddress(id: id) }
        }
        router.post("/mall/addresses/:id/default") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await addressAction(request, id: id) { me, _ in try me.setDefaultAddress(id: id) }
        }
    }

    static func addressInput(_ form: Form) -> AddressInput {
        AddressInput(
            name: String((form["name"] ?? "").prefix(100)), phone: String((form["phone"] ?? "").prefix(40)),
            address: String((form["address"] ?? "").prefix(400)))
    }

    /// Runs one address-book change for the signed-in member (CSRF checked), then shows the book;
    /// a refusal shows the book with the sentence and the error's status.
    func addressAction(
        _ request: Request, id: String?, _ change: @escaping @Sendable (MemberSelfService, Form) throws -> Void
    ) async throws -> Response {
        guard let (signed, me) = try await member(request) else { return toLogin(request) }
        let form = try await Form.read(request)
        guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: "/mall/addresses") }
        do {
            if let id, id.utf8.count > 80 { throw NodeError(.notFound, "address \(id) is not one of yours") }
            try await blocking { try change(me, form) }
            let back = form["back"] == "/mall/checkout" ? "/mall/checkout" : "/mall/addresses"
            return redirect(back)
        } catch let error as NodeError {
            return try await addressesPage(
                request, signed, me, error: (MallText.sentence(error, signed.language), error.status))
        }
    }

    func addressesPage(
        _ request: Request, _ signed: MallRequest, _ me: MemberSelfService, error: (String, HTTPResponse.Status)?
    ) async throws -> Response {
        let addresses = try await blocking { try me.addresses() }
        let t = MallText.catalog(signed.language)
        return page(request, signed, title: t["my_addresses"] ?? "", status: error?.1 ?? .ok) {
            MallTemplates.render(
                "mall_addresses",
                [
                    "t": t, "csrf": signed.session.csrf, "error": error?.0 ?? false,
                    "addresses": addresses.map { a in
                        [
                            "id": a.id, "name": a.name, "phone": a.phone, "address": a.address,
                            "default": a.isDefault,
                        ] as [String: Any]
                    },
                    "can_add": addresses.count < AddressBookPolicy.maxAddresses,
                    "max": String(AddressBookPolicy.maxAddresses),
                ])
        }
    }
}
