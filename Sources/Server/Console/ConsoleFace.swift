import Commerce
import Foundation
import Hummingbird
import Node

/// The head-office console: central's face for head office (`/console/…`), server-rendered
/// HTML from embedded Mustache templates, Chinese by default with an English switch. Every
/// screen calls the same use cases as the CLI, acting as the logged-in user; each route needs
/// the permission the CLI's matrix gives for that work (``ConsoleFace/Screen``).
public struct ConsoleFace: Sendable {
    public let node: FenxiaoNode
    /// A store that has not synced for this long is shown red on the dashboard.
    public let silentAfterMillis: Int64

    public init(node: FenxiaoNode, silentAfterMillis: Int64 = 2 * 3_600_000) {
        self.node = node
        self.silentAfterMillis = silentAfterMillis
    }

    /// Adds the console's pages, forms, CSV exports and style sheet to central's `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/console/assets/console.css") { _, _ in
            asset(PackageResources.console_css, type: "text/css; charset=utf-8", cacheControl: "max-age=3600")
        }
        addSessionRoutes(router)
        addDashboardRoutes(router)
        addConflictRoutes(router)
        addDistributionRoutes(router)
        addCatalogRoutes(router)
        addOrdersAreaRoutes(router)
        addReportRoutes(router)
        addMemberRoutes(router)
        addDistributorRoutes(router)
    }

    /// What a screen needs: the CLI permission of the work it shows.
    enum Screen: String, Sendable {
        case dashboard
        case conflicts
        case products
        case marketing
        case inventory
        case orders
        case members
        case distributors
        case applications
        case withdrawals
        case reports

        /// The menu, in this order; a screen shows when the user's role may open it.
        static let menu: [Screen] = [
            .dashboard, .conflicts, .products, .marketing, .inventory, .orders, .members, .distributors,
            .applications, .withdrawals, .reports,
        ]

        var permission: Permission? {
            switch self {
            case .dashboard: return nil  // any console user; each panel checks its own
            case .conflicts: return .resolveConflicts
            case .products: return .manageCatalog
            case .marketing: return .marketing
            case .inventory: return .manageStock
            case .orders: return .refund
            case .members: return .manageMembers
            case .distributors: return .approveDistributors
            case .applications: return .approveDistributors
            case .withdrawals: return .approveWithdrawals
            case .reports: return .seeReports
            }
        }

        /// The catalog key of the screen's menu label.
        var label: String { self == .orders ? "orders_screen" : rawValue }

        var path: String { self == .dashboard ? "/console" : "/console/\(rawValue)" }
    }
}

/// A signed-in console request: the session, the node acting as its user, the page language.
struct ConsoleRequest: Sendable {
    let session: ConsoleSession
    let node: FenxiaoNode
    let language: TillLanguage

    func may(_ permission: Permission) -> Bool { session.role.permissions.contains(permission) }
}

extension ConsoleFace {
    /// Runs a GET screen for the signed-in user: without a live session, the login page; without
    /// the screen's permission, 403 with the CLI's sentence.
    func screen(
        _ request: Request, _ screen: Screen,
        _ body: @escaping @Sendable (ConsoleRequest) throws -> Response
    ) async throws -> Response {
        guard let signed = try await signedIn(request) else { return redirect("/console/login") }
        if let permission = screen.permission, !signed.may(permission) {
            return forbidden(request, signed, permission)
        }
        do {
            return try await blocking { try body(signed) }
        } catch let error as NodeError {
            return page(
                request, signed, screen, title: ConsoleText.text("error", signed.language), status: error.status
            ) {
                ConsoleTemplates.render(
                    "message", ["message": ConsoleErrorText.sentence(error, signed.language), "back": screen.path])
            }
        }
    }

    /// Runs a POST action: a live session, a matching CSRF token (403 otherwise), the screen's
    /// permission; then `body` (a use case) and a redirect back to `screen` (303), or the
    /// use case's error as a page with its status.
    func action(
        _ request: Request, _ screen: Screen,
        _ body: @escaping @Sendable (ConsoleRequest, Form) throws -> String
    ) async throws -> Response {
        let form = try await Form.read(request)
        guard let signed = try await signedIn(request) else { return redirect("/console/login") }
        guard let sent = form["csrf"], Self.same(sent, signed.session.csrf) else {
            return page(
                request, signed, screen, title: ConsoleText.text("forbidden", signed.language), status: .forbidden
            ) {
                ConsoleTemplates.render(
                    "message",
                    [
                        "message": ConsoleText.text("csrf_mismatch", signed.language),
                        "back": screen.path,
                    ])
            }
        }
        if let permission = screen.permission, !signed.may(permission) {
            return forbidden(request, signed, permission)
        }
        do {
            let back = try await blocking { try body(signed, form) }
            return redirect(back)
        } catch let error as NodeError {
            return page(
                request, signed, screen, title: ConsoleText.text("error", signed.language), status: error.status
            ) {
                ConsoleTemplates.render(
                    "message", ["message": ConsoleErrorText.sentence(error, signed.language), "back": screen.path])
            }
        }
    }

    func forbidden(_ request: Request, _ signed: ConsoleRequest, _ permission: Permission) -> Response {
        let sentence = ConsoleErrorText.sentence(Self.denied(signed, permission), signed.language)
        return page(
            request, signed, .dashboard, title: ConsoleText.text("forbidden", signed.language), status: .forbidden
        ) {
            ConsoleTemplates.render("message", ["message": sentence, "back": "/console"])
        }
    }

    /// A console page: the layout around `main` (rendered by the caller), with the menu the
    /// user's role may open.
    func page(
        _ request: Request, _ signed: ConsoleRequest?, _ current: Screen?, title: String,
        status: HTTPResponse.Status = .ok, _ main: () -> String
    ) -> Response {
        let language = signed?.language ?? TillLanguage.of(request)
        let t = ConsoleText.catalog(language)
        var context: [String: Any] = [
            "t": t, "title": title, "htmlLang": language.htmlLang, "body": main(),
            "langHref": request.uri.path + "?lang=" + (language == .zh ? "en" : "zh"),
            "langLabel": language == .zh ? "English" : "中文",
        ]
        if let signed {
            let nav: [[String: Any]] = Screen.menu.filter { $0.permission.map(signed.may) ?? true }.map {
                ["href": $0.path, "label": t[$0.label] ?? $0.label, "current": $0 == current]
            }
            context["signed"] =
                [
                    "user": signed.session.user, "role": signed.session.role.rawValue, "csrf": signed.session.csrf,
                    "nav": nav,
                ] as [String: Any]
        }
        return html(ConsoleTemplates.render("layout", context), request: request, status: status)
    }

    /// An HTML answer; a `?lang=` switch is remembered in a cookie of this browser.
    func html(_ body: String, request: Request, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ]
        if let lang = request.uri.queryParameters.get("lang").flatMap(TillLanguage.init(rawValue:)) {
            headers[.setCookie] = "fenxiao_lang=\(lang.rawValue); Path=/console; Max-Age=31536000; SameSite=Strict"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Compares two tokens in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool { sameToken(a, b) }
}
