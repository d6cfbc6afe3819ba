import Commerce
import Foundation
import Hummingbird
import Node

/// A distributor's referral link and its QR code (`/mall/distributor/link?product=`, the SVG
/// alone at `/mall/distributor/qr.svg?product=`), and the link's landing `/mall/r/<code>?p=`:
/// no sign-in needed; an active distributor's code is remembered in ``referralCookie`` (which
/// checkout passes as the order's `via`, for first-purchase binding) and, when head office binds
/// by referral code, a signed-in member is bound at once (one who signs in later is bound then).
extension MallFace {
    func addReferralRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/distributor/link") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) {
                let product = Self.productParameter(request)
                let d = try await blocking { try me.myDistributor() }
                guard let d, d.status == "active" || d.status == "frozen" else {
                    return redirect("/mall/distributor")
                }
                let link = Self.referralLink(request, code: d.referral_code, product: product)
                let t = MallText.catalog(signed.language)
                let qrPath = "/mall/distributor/qr.svg" + (product.map { "?product=" + Self.query($0) } ?? "")
                return page(request, signed, title: t["dist_link"] ?? "") {
                    MallTemplates.render(
                        "mall_distributor_link",
                        [
                            "t": t, "link": link, "code": d.referral_code, "product": product ?? false,
                            "qr": QRCode.svg(link, id: "referral-qr") ?? "", "qr_download": qrPath,
                        ])
                }
            }
        }
        router.get("/mall/distributor/qr.svg") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) {
                let d = try await blocking { try me.myDistributor() }
                guard let d, d.status == "active" || d.status == "frozen" else {
                    return redirect("/mall/distributor")
                }
                let link = Self.referralLink(request, code: d.referral_code, product: Self.productParameter(request))
                guard let svg = QRCode.svg(link) else { return Response(status: .badRequest) }
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "image/svg+xml", .cacheControl: "no-store",
                        .contentDisposition: "attachment; filename=\"referral-qr.svg\"",
                    ],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
            }
        }
        router.get("/mall/r/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            let product = request.uri.queryParameters.get("p").flatMap(Self.productID)
            var response = redirect(product.map { "/mall/products/" + Self.query($0) } ?? "/mall/shop")
            let node = self.node
            let active = try? await blocking { () throws -> Int64? in
                guard try node.distribution.activeReferral(code: code) != nil else { return nil }
                return try node.distribution.distributionSettings().lock_days
            }
            guard let lockDays = active else { return response }
            response.headers[.setCookie] = Self.referralCookieHeader(code, lockDays: lockDays, request)
            if let (_, me) = try await member(request) {
                _ = try? await blocking { try me.bindByReferral(code: code) }
            }
            return response
        }
    }

    /// The referral cookie: Path=/mall, HttpOnly, SameSite=Lax (it must survive arriving from a
    /// chat app's link), kept for the binding lock period (1–365 days; 30 by default).
    static func referralCookieHeader(_ code: String, lockDays: Int64, _ request: Request) -> String {
        let days = min(max(lockDays, 1), 365)
        return
            "\(referralCookie)=\(Form.cookieSafe(code)); Path=/mall; Max-Age=\(days * 86_400); HttpOnly; SameSite=Lax"
            + (overTLS(request) ? "; Secure" : "")
    }

    /// After a successful sign-in: binds the member by the referral cookie when head office binds
    /// by referral code (nothing happens without the cookie, or when the rule or a lock says no).
    func bindByReferralCookie(_ request: Request, member: String) async {
        guard let code = cookie(request, Self.referralCookie), !code.isEmpty else { return }
        let node = self.node
        _ = try? await blocking { try node.selfService(member: member).bindByReferral(code: code) }
    }

    /// The link's absolute URL from the request's Host (scheme https behind a TLS proxy).
    static func referralLink(_ request: Request, code: String, product: String?) -> String {
        let host = request.head.authority ?? header(request, "Host") ?? ""
        let safeHost =
            !host.isEmpty && host.utf8.count <= 255
                && host.unicodeScalars.allSatisfy({
                    $0.isASCII
                        && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                            || ".-:[]".unicodeScalars.contains($0))
                })
            ? host : "localhost"
        let scheme = overTLS(request) ? "https" : "http"
        return "\(scheme)://\(safeHost)/mall/r/\(query(code))" + (product.map { "?p=" + query($0) } ?? "")
    }

    /// `?product=` when it is a product id (letters, digits, `-`, `.`, `_`, at most 64), else nil.
    static func productParameter(_ request: Request) -> String? {
        request.uri.queryParameters.get("product").flatMap(productID)
    }

    static func productID(_ text: String) -> String? {
        !text.isEmpty && text.utf8.count <= 64 && SKUCode(text) != nil ? text : nil
    }

    static let urlSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")

    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: urlSafe) ?? ""
    }
}
