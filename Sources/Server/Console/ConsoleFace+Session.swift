import Commerce
import Foundation
import Hummingbird
import Node
import Storage

/// Logging in and out. The session token lives in an HttpOnly, SameSite=Strict cookie scoped to
/// `/console` (Secure when the request came over HTTPS through a proxy that says so with
/// `X-Forwarded-Proto: https`; on a plain-HTTP LAN a Secure cookie would never be sent back).
/// The login form itself carries a double-submit token (a cookie and a hidden field that must
/// match), so another site cannot log a browser in as someone else.
extension ConsoleFace {
    static let sessionCookie = "fenxiao_console"
    static let loginCookie = "fenxiao_console_login"

    /// The signed-in user of this request, or nil without a live session.
    func signedIn(_ request: Request) async throws -> ConsoleRequest? {
        guard let token = cookie(request, Self.sessionCookie), !token.isEmpty else { return nil }
        let node = self.node
        let language = TillLanguage.of(request)
        do {
            return try await blocking {
                let session = try node.access.consoleSession(token)
                return ConsoleRequest(session: session, node: node.acting(as: session.user), language: language)
            }
        } catch let error as NodeError where error.code == .unauthorized || error.code == .forbidden {
            return nil
        }
    }

    func addSessionRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/login") { request, _ in loginPage(request, error: nil, status: .ok) }
        router.post("/console/login") { request, _ in
            let form = try await Form.read(request)
            guard let sent = form["login_token"], let kept = cookie(request, Self.loginCookie), Self.same(sent, kept)
            else {
                return loginPage(
                    request, error: ConsoleText.text("login_expired", TillLanguage.of(request)), status: .forbidden)
            }
            let node = self.node
            let user = (form["user"] ?? "").trimmingCharacters(in: .whitespaces)
            let password = form["password"] ?? ""
            do {
                let login = try await loginWork { try node.access.consoleLogin(user: user, password: password) }
                var response = redirect("/console")
                response.headers[.setCookie] =
                    "\(Self.sessionCookie)=\(Form.cookieSafe(login.token)); Path=/console; HttpOnly; SameSite=Strict"
                    + (Self.overTLS(request) ? "; Secure" : "")
                return response
            } catch let error as NodeError {
                return loginPage(
                    request, error: ConsoleErrorText.sentence(error, TillLanguage.of(request)), status: error.status)
            }
        }
        router.post("/console/logout") { request, _ in
            let form = try await Form.read(request)
            if let signed = try await signedIn(request), let sent = form["csrf"], Self.same(sent, signed.session.csrf),
                let token = cookie(request, Self.sessionCookie)
            {
                let node = self.node
                try await blocking { try node.access.consoleLogout(token) }
            }
            var response = redirect("/console/login")
            response.headers[.setCookie] = "\(Self.sessionCookie)=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict"
            return response
        }
    }

    /// The login page with a fresh double-submit token (cookie and hidden field).
    func loginPage(_ request: Request, error: String?, status: HTTPResponse.Status) -> Response {
        let token = Tokens.generate()
        let t = ConsoleText.catalog(TillLanguage.of(request))
        var response = page(request, nil, nil, title: t["login"] ?? "", status: status) {
            ConsoleTemplates.render("login", ["t": t, "login_token": token, "error": error ?? false])
        }
        response.headers[values: .setCookie].append(
            "\(Self.loginCookie)=\(token); Path=/console/login; HttpOnly; SameSite=Strict"
                + (Self.overTLS(request) ? "; Secure" : ""))
        return response
    }

    /// Whether a TLS-terminating proxy says the browser used HTTPS.
    static func overTLS(_ request: Request) -> Bool {
        header(request, "X-Forwarded-Proto")?.lowercased() == "https"
    }
}
