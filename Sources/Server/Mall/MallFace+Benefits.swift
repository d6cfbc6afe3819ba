import Commerce
import Foundation
import Hummingbird
import Node

/// A member's benefits: daily check-in, level and progress, stored value, and the share reward
/// (points and coupons are in `MallFace+Points.swift` and `MallFace+Coupons.swift`). Every figure
/// comes from the same use cases as the CLI and the console, through ``MemberSelfService``.
extension MallFace {
    func addBenefitRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/checkin") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let state = try await blocking { try me.checkinState() }
            let notice = request.uri.queryParameters.get("checked").flatMap {
                ["new": "checkin_done", "already": "checkin_already"][$0]
            }
            return checkinPage(request, signed, state, notice: notice)
        }
        memberForm(router, "/mall/checkin", back: "/mall/checkin") { _, me in
            "/mall/checkin?checked=" + (try me.checkin().done ? "new" : "already")
        }
        router.get("/mall/level") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let progress = try await blocking { try me.levelProgress() }
            return levelPage(request, signed, progress)
        }
        router.get("/mall/wallet") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let wallet = try await blocking { try me.wallet() }
            return walletPage(request, signed, wallet)
        }
        memberForm(router, "/mall/share", back: "/mall/shop") { form, me in
            let product = String((form["product"] ?? "").prefix(80))
            let back =
                "/mall/products/" + (product.addingPercentEncoding(withAllowedCharacters: Self.codeCharacters) ?? "")
            do {
                return back + "?shared=\(try me.share(product: product).reward)"
            } catch let error as NodeError where error.code == .conflict {
                // Over the daily limit, or head office gives nothing for sharing: the share
                // itself is fine, it earns nothing more today.
                return back + "?shared=0"
            }
        }
        addPointsRoutes(router)
        addCouponRoutes(router)
    }

    /// What a catalog code (product, SKU, coupon) may hold, kept as is in a URL.
    static let codeCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")

    /// A member's form at `path`: signed in (else the login page), with the session's CSRF token
    /// (403 otherwise); `act` runs off the event loop and answers where to go next (303); a use
    /// case's refusal is a page in the member's language with a link to `back`.
    func memberForm(
        _ router: Router<BasicRequestContext>, _ path: RouterPath, back: String,
        _ act: @escaping @Sendable (Form, MemberSelfService) throws -> String
    ) {
        router.post(path) { request, _ in
            let form = try await Form.read(request)
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: back) }
            do {
                return redirect(try await blocking { try act(form, me) })
            } catch let error as NodeError {
                return refusal(request, signed, error, back: back)
            }
        }
    }

    /// `YYYY-MM-DD HH:mm` in China Standard Time (the days check-ins and share limits count by).
    static func shanghaiTime(_ millis: Int64) -> String {
        ConsoleInput.time(millis, offsetMillis: 8 * 3_600_000)
    }

    /// A signed figure as the CLI prints it: `+10`, `-500`.
    static func signed(_ value: Int64) -> String { value > 0 ? "+\(value)" : "\(value)" }

    /// A ledger reason in the member's words (the code itself when it has none).
    static func reason(_ code: String?, _ t: [String: String]) -> String {
        guard let code else { return "" }
        return t["ledger_reason_" + code] ?? code
    }

    func checkinPage(_ request: Request, _ signed: MallRequest, _ state: CheckinState, notice: String?) -> Response {
        let t = MallText.catalog(signed.language)
        return page(request, signed, title: t["my_checkin"] ?? "") {
            MallTemplates.render(
                "mall_checkin",
                [
                    "t": t, "csrf": signed.session.csrf, "today": state.today, "checked": state.checkedIn,
                    "streak": String(state.streak), "reward": String(state.reward), "points": String(state.points),
                    "notice": notice.flatMap { t[$0] } ?? false,
                ])
        }
    }

    func levelPage(_ request: Request, _ signed: MallRequest, _ p: MemberLevelProgress) -> Response {
        let t = MallText.catalog(signed.language)
        let zh = signed.language == .zh
        func benefits(_ l: MemberLevel) -> [String] {
            var lines: [String] = []
            if l.discount_percent > 0 {
                lines.append(
                    zh
                        ? "购物享 \(100 - l.discount_percent)% 价（减 \(l.discount_percent)%）"
                        : "\(l.discount_percent)% off every purchase")
            }
            if l.free_shipping { lines.append(t["benefit_free_shipping"] ?? "") }
            let multiplier =
                "\(l.pointsMultiplierPercent / 100).\(String(format: "%02d", l.pointsMultiplierPercent % 100))"
            lines.append(zh ? "每消费 1 元得 \(multiplier) 积分" : "\(multiplier) points per yuan")
            if l.birthday_points > 0 {
                lines.append(zh ? "生日赠 \(l.birthday_points) 积分" : "\(l.birthday_points) points on your birthday")
            }
            if l.birthday_coupon != nil { lines.append(t["birthday_coupon"] ?? "") }
            return lines
        }
        var context: [String: Any] = [
            "t": t, "name": p.level?.name ?? (t["no_level"] ?? ""),
            "benefits": p.level.map(benefits) ?? [], "has_levels": !p.levels.isEmpty,
            "earned": String(p.lifetimePoints), "spent": p.lifetimeSpend.yuan,
            "levels": p.levels.map { l in
                [
                    "id": l.id, "name": l.name, "min_points": String(l.min_points),
                    "min_spend": Money(cents: l.min_spend_cents).yuan,
                    "has_spend": l.min_spend_cents > 0, "current": l.id == p.level?.id, "benefits": benefits(l),
                ] as [String: Any]
            },
        ]
        if let next = p.next {
            var needs: [String] = []
            if next.min_points > 0 {
                let left = max(0, next.min_points - p.lifetimePoints)
                needs.append(
                    zh
                        ? "累计获得积分 \(p.lifetimePoints) / \(next.min_points)，还差 \(left)"
                        : "points earned \(p.lifetimePoints) / \(next.min_points), \(left) to go")
            }
            if next.min_spend_cents > 0 {
                let left = Money(cents: max(0, next.min_spend_cents - p.lifetimeSpend.cents))
                needs.append(
                    zh
                        ? "累计消费 ¥\(p.lifetimeSpend.yuan) / ¥\(Money(cents: next.min_spend_cents).yuan)，还差 ¥\(left.yuan)"
                        : "spent ¥\(p.lifetimeSpend.yuan) / ¥\(Money(cents: next.min_spend_cents).yuan), ¥\(left.yuan) to go"
                )
            }
            context["next"] = ["name": next.name, "needs": needs] as [String: Any]
        }
        return page(request, signed, title: t["my_level"] ?? "") { MallTemplates.render("mall_level", context) }
    }

    func walletPage(_ request: Request, _ signed: MallRequest, _ w: MemberWallet) -> Response {
        let t = MallText.catalog(signed.language)
        let zh = signed.language == .zh
        return page(request, signed, title: t["my_wallet"] ?? "") {
            MallTemplates.render(
                "mall_wallet",
                [
                    "t": t, "balance": w.balance.yuan, "has_bonuses": !w.bonuses.isEmpty,
                    "entries": w.history.map { e in
                        [
                            "id": e.id, "at": Self.shanghaiTime(e.at_ms), "reason": Self.reason(e.reason, t),
                            "delta": (e.delta_cents > 0 ? "+" : "") + Money(cents: e.delta_cents).yuan,
                            "delta_cents": String(e.delta_cents), "ref": e.ref ?? "",
                        ]
                    },
                    "bonuses": w.bonuses.map { b in
                        let (top, bonus) = (Money(cents: b.threshold_cents).yuan, Money(cents: b.bonus_cents).yuan)
                        return zh ? "充 ¥\(top) 送 ¥\(bonus)" : "top up ¥\(top), get ¥\(bonus) more"
                    },
                ])
        }
    }
}
