import Commerce
import Foundation
import Hummingbird
import Node

/// The member's own page (`/mall/me`): who they are, their figures, the menu of their mall, and
/// their mall password (`POST /mall/me/password`).
extension MallFace {
    func addMeRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/me") { request, _ in
            guard let (signed, me) = try await member(request) else { return redirect("/mall/login") }
            let node = self.node
            let (view, hasPassword) = try await blocking {
                (try node.members.mallMember(signed.session.member), try me.hasPassword())
            }
            let t = MallText.catalog(signed.language)
            return page(request, signed, title: t["me"] ?? "") {
                MallTemplates.render(
                    "mall_me",
                    [
                        "t": t, "name": view.name ?? view.id, "id": view.id, "phone": view.masked_phone ?? "",
                        "level": view.level ?? (t["no_level"] ?? ""), "points": String(view.points),
                        "wallet": view.wallet.yuan, "csrf": signed.session.csrf, "has_password": hasPassword,
                        "password_saved": request.uri.queryParameters.get("password") == "set",
                    ])
            }
        }
        router.post("/mall/me/password") { request, _ in
            let form = try await Form.read(request)
            guard let (signed, me) = try await member(request) else { return redirect("/mall/login") }
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: "/mall/me") }
            let password = String((form["password"] ?? "").prefix(200))
            do {
                try await loginWork { try me.setPassword(password) }
                return redirect("/mall/me?password=set")
            } catch let error as NodeError {
                return refusal(request, signed, error, back: "/mall/me")
            }
        }
    }
}
