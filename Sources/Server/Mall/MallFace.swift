import Commerce
import Foundation
import Hummingbird
import Logging
import Node

/// The members' mall: central's face for members on their phones (`/mall/…`), server-rendered
/// HTML from embedded Mustache templates, Chinese by default with an English switch, laid out
/// for a 375 px screen. This first part signs members up and in by a one-time code sent to their
/// phone (``Members/requestPhoneCode(phone:address:)``) and shows their own page (`/mall/me`).
public struct MallFace: Sendable {
    public let node: FenxiaoNode
    /// Dev mode (`serve --mall-dev-codes`): each code sent is also written to the log.
    public let devCodes: Bool
    /// `serve --behind-proxy`: the TLS proxy in front of central appends the client's address to
    /// `X-Forwarded-For`, so the per-address limits count by it; without a proxy that header is
    /// whatever the client wrote, and is ignored.
    public let behindProxy: Bool
    let logger: Logger

    public init(
        node: FenxiaoNode, devCodes: Bool = false, behindProxy: Bool = false,
        logger: Logger = Logger(label: "fenxiao.mall")
    ) {
        self.node = node
        self.devCodes = devCodes
        self.behindProxy = behindProxy
        self.logger = logger
    }

    /// Adds the mall's pages, forms and style sheet to central's `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/mall/assets/mall.css") { _, _ in
            asset(PackageResources.mall_css, type: "text/css; charset=utf-8", cacheControl: "max-age=3600")
        }
        router.get("/mall") { _, _ in redirect("/mall/shop") }
        addSessionRoutes(router)
        addOrderRoutes(router)
        addPayRoutes(router)
        addPasswordLoginRoute(router)
        addMeRoutes(router)
        addShopRoutes(router)
        addCartRoutes(router)
        addCheckoutRoutes(router)
        addAddressRoutes(router)
        addBenefitRoutes(router)
        addDistributorRoutes(router)
    }

    /// A mall page: the layout around `main` (rendered by the caller).
    func page(
        _ request: Request, _ signed: MallRequest?, title: String, status: HTTPResponse.Status = .ok,
        _ main: () -> String
    ) -> Response {
        let language = signed?.language ?? TillLanguage.of(request)
        var context: [String: Any] = [
            "t": MallText.catalog(language), "title": title, "htmlLang": language.htmlLang, "body": main(),
            "langHref": request.uri.path + "?lang=" + (language == .zh ? "en" : "zh"),
            "langLabel": language == .zh ? "English" : "中文",
        ]
        if let signed { context["signed"] = ["csrf": signed.session.csrf] }
        return html(MallTemplates.render("mall_layout", context), request: request, status: status)
    }

    /// The signed-in member of `request` with their self-service use cases
    /// (``MemberSelfService``), or nil without a live session (answer with ``toLogin(_:)``).
    func member(_ request: Request) async throws -> (MallRequest, MemberSelfService)? {
        guard let signed = try await signedIn(request) else { return nil }
        let node = self.node
        let member = signed.session.member
        let service = try await blocking { try node.selfService(member: member) }
        return (signed, service)
    }

    /// The login page, coming back to this request's page once signed in.
    func toLogin(_ request: Request) -> Response {
        let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return redirect("/mall/login?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// Whether a signed-in form carries the session's CSRF token (every mall POST must).
    static func csrfMatches(_ form: Form, _ signed: MallRequest) -> Bool {
        guard let sent = form["csrf"] else { return false }
        return same(sent, signed.session.csrf)
    }

    /// The refusal of a POST without the session's CSRF token (403).
    func csrfRefusal(_ request: Request, _ signed: MallRequest, back: String) -> Response {
        message(request, signed, MallText.text("csrf_mismatch", signed.language), back: back, status: .forbidden)
    }

    /// The cookie that remembers the distributor's link a phone arrived by (`/mall/r/<code>`): a
    /// referral code, passed as the order's `via` at checkout so the binding rules apply.
    static let referralCookie = "fenxiao_mall_ref"

    /// A use case's refusal as a page with a link back (the status the error maps to).
    func refusal(_ request: Request, _ signed: MallRequest?, _ error: NodeError, back: String) -> Response {
        message(
            request, signed, MallText.sentence(error, signed?.language ?? TillLanguage.of(request)), back: back,
            status: error.status)
    }

    /// A page with one sentence (a refusal) and a link back.
    func message(
        _ request: Request, _ signed: MallRequest?, _ sentence: String, back: String, status: HTTPResponse.Status
    ) -> Response {
        let t = MallText.catalog(signed?.language ?? TillLanguage.of(request))
        return page(request, signed, title: t["error"] ?? "", status: status) {
            MallTemplates.render("mall_message", ["t": t, "message": sentence, "back": back])
        }
    }

    /// An HTML answer; a `?lang=` switch is remembered in a cookie of this browser.
    func html(_ body: String, request: Request, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ]
        if let lang = request.uri.queryParameters.get("lang").flatMap(TillLanguage.init(rawValue:)) {
            headers[.setCookie] = "fenxiao_lang=\(lang.rawValue); Path=/mall; Max-Age=31536000; SameSite=Strict"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The client's address for the per-address limits: behind a proxy, the last `X-Forwarded-For`
    /// entry (the one the proxy appends); else `direct` (every client reaching central without a
    /// proxy shares one count: a client's own header would let it pick a new address per request).
    func clientAddress(_ request: Request) -> String {
        guard behindProxy, let forwarded = header(request, "X-Forwarded-For"),
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty,
            last.utf8.count <= 64
        else { return "direct" }
        return last
    }

    /// Compares two tokens in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool { sameToken(a, b) }
}

/// A signed-in mall request: the member's session and the page language.
struct MallRequest: Sendable {
    let session: MallSession
    let language: TillLanguage
}
