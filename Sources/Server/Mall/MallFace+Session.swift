import Commerce
import Foundation
import Hummingbird
import Node
import Replication
import Storage

/// Signing up and in by phone, and out. Two steps: the phone form asks for a code
/// (`POST /mall/login/code`), the code form signs in (`POST /mall/login`). Before a session both
/// forms carry a double-submit token (a cookie and a hidden field that must match, 403
/// otherwise); after it, every POST carries the session's CSRF token. The session token lives in
/// an HttpOnly, SameSite=Strict cookie scoped to `/mall`, apart from the console's (Secure behind
/// a TLS proxy that says `X-Forwarded-Proto: https`).
extension MallFace {
    static let sessionCookie = "fenxiao_mall"
    static let loginCookie = "fenxiao_mall_login"

    /// The signed-in member of this request, or nil without a live session.
    func signedIn(_ request: Request) async throws -> MallRequest? {
        guard let token = cookie(request, Self.sessionCookie), !token.isEmpty else { return nil }
        let node = self.node
        let language = TillLanguage.of(request)
        do {
            return try await blocking {
                MallRequest(session: try node.members.mallSession(token), language: language)
            }
        } catch let error as NodeError where error.code == .unauthorized || error.code == .notFound {
            return nil
        }
    }

    func addSessionRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/login") { request, _ in
            let next = Self.next(request.uri.queryParameters.get("next"))
            if try await signedIn(request) != nil { return redirect(next) }
            return loginPage(request, step: .phone, phone: "", next: next, error: nil, status: .ok)
        }
        router.post("/mall/login/code") { request, _ in
            let form = try await Form.read(request)
            let phone = String((form["phone"] ?? "").prefix(64))
            let next = Self.next(form["next"])
            guard Self.loginTokenMatches(form, request) else {
                return expiredLoginPage(request, next: next)
            }
            let node = self.node
            let address = clientAddress(request)
            do {
                let answer = try await loginWork { try node.members.requestPhoneCode(phone: phone, address: address) }
                switch answer {
                case .limited(let limit):
                    return limitedLoginPage(request, step: .phone, phone: phone, next: next, limit: limit)
                case .sent(let sent):
                    if devCodes {
                        logger.notice(
                            "mall dev code", metadata: ["phone": .string(sent.phone), "code": .string(sent.code)])
                    }
                    return loginPage(request, step: .code, phone: sent.phone, next: next, error: nil, status: .ok)
                }
            } catch let error as NodeError {
                return loginPage(
                    request, step: .phone, phone: "", next: next,
                    error: MallText.sentence(error, TillLanguage.of(request)),
                    status: error.status)
            }
        }
        router.post("/mall/login") { request, _ in
            let form = try await Form.read(request)
            let phone = String((form["phone"] ?? "").prefix(64))
            let next = Self.next(form["next"])
            guard Self.loginTokenMatches(form, request) else {
                return expiredLoginPage(request, next: next)
            }
            let code = (form["code"] ?? "").trimmingCharacters(in: .whitespaces)
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
            let node = self.node
            let address = clientAddress(request)
            do {
                let answer = try await loginWork {
                    try node.members.signInByCode(
                        phone: phone, code: code, name: name.isEmpty ? nil : name, address: address)
                }
                switch answer {
                case .limited(let limit):
                    return limitedLoginPage(request, step: .code, phone: phone, next: next, limit: limit)
                case .signedIn(let login): return await signedInAnswer(request, login, next: next)
                }
            } catch let error as NodeError {
                let step: LoginStep = error.field == .phone ? .phone : .code
                return loginPage(
                    request, step: step, phone: step == .phone ? "" : phone, next: next,
                    error: MallText.sentence(error, TillLanguage.of(request)), status: error.status)
            }
        }
        router.post("/mall/logout") { request, _ in
            let form = try await Form.read(request)
            guard let signed = try await signedIn(request) else { return redirect("/mall/login") }
            guard let sent = form["csrf"], Self.same(sent, signed.session.csrf),
                let token = cookie(request, Self.sessionCookie)
            else {
                return message(
                    request, signed, MallText.text("csrf_mismatch", signed.language), back: "/mall/me",
                    status: .forbidden)
            }
            let node = self.node
            try await blocking { try node.members.mallLogout(token) }
            var response = redirect("/mall/login")
            response.headers[.setCookie] = "\(Self.sessionCookie)=; Path=/mall; Max-Age=0; HttpOnly; SameSite=Strict"
            return response
        }
    }

    /// A successful sign-in: the session cookie, a binding by the distributor's link the phone
    /// came by (when the rule says so), and the page the login was asked from.
    func signedInAnswer(_ request: Request, _ login: MallLogin, next: String) async -> Response {
        await bindByReferralCookie(request, member: login.member)
        var response = redirect(next)
        response.headers[.setCookie] =
            "\(Self.sessionCookie)=\(Form.cookieSafe(login.token)); Path=/mall; HttpOnly; SameSite=Strict"
            + (Self.overTLS(request) ? "; Secure" : "")
        return response
    }

    /// `POST /mall/login/password`: phone and password (a member who set one on their page).
    func addPasswordLoginRoute(_ router: Router<BasicRequestContext>) {
        router.post("/mall/login/password") { request, _ in
            let form = try await Form.read(request)
            let phone = String((form["phone"] ?? "").prefix(64))
            let password = String((form["password"] ?? "").prefix(200))
            let next = Self.next(form["next"])
            guard Self.loginTokenMatches(form, request) else {
                return expiredLoginPage(request, next: next)
            }
            let node = self.node
            let address = clientAddress(request)
            do {
                let answer = try await loginWork {
                    try node.members.signInByPassword(phone: phone, password: password, address: address)
                }
                switch answer {
                case .limited(let limit):
                    return limitedLoginPage(request, step: .phone, phone: "", next: next, limit: limit)
                case .signedIn(let login): return await signedInAnswer(request, login, next: next)
                }
            } catch let error as NodeError {
                return loginPage(
                    request, step: .phone, phone: "", next: next,
                    error: MallText.sentence(error, TillLanguage.of(request)), status: error.status)
            }
        }
    }

    enum LoginStep { case phone, code }

    func text(_ key: String, _ request: Request) -> String { MallText.text(key, TillLanguage.of(request)) }

    /// Whether the form's double-submit token matches the browser's login cookie.
    static func loginTokenMatches(_ form: Form, _ request: Request) -> Bool {
        guard let sent = form["login_token"], let kept = cookie(request, loginCookie) else { return false }
        return same(sent, kept)
    }

    /// Where to go once signed in: a mall page the login was asked from, else the member's page
    /// (anything else — another site, a path outside the mall — is ignored).
    static func next(_ wanted: String?) -> String {
        guard let wanted, wanted.hasPrefix("/mall/"), !wanted.hasPrefix("/mall/login"), wanted.utf8.count <= 300,
            !wanted.contains("//"), !wanted.contains("\\"),
            wanted.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 })
        else { return "/mall/me" }
        return wanted
    }

    /// The login page at `step` with a fresh double-submit token (cookie and hidden field).
    /// The login form again, 403: its one-time token did not match (the page was too old).
    func expiredLoginPage(_ request: Request, next: String) -> Response {
        loginPage(
            request, step: .phone, phone: "", next: next, error: text("login_expired", request), status: .forbidden)
    }

    /// The login form again, 429 with `Retry-After`: a per-phone or per-address limit was reached.
    func limitedLoginPage(
        _ request: Request, step: LoginStep, phone: String, next: String, limit: PhoneCodeLimit
    ) -> Response {
        var response = loginPage(
            request, step: step, phone: phone, next: next, error: MallText.limit(limit, TillLanguage.of(request)),
            status: .tooManyRequests)
        response.headers[.retryAfter] = String(limit.retryAfterSeconds)
        return response
    }

    func loginPage(
        _ request: Request, step: LoginStep, phone: String, next: String = "/mall/me", error: String?,
        status: HTTPResponse.Status
    ) -> Response {
        let token = Tokens.generate()
        let t = MallText.catalog(TillLanguage.of(request))
        var response = page(request, nil, title: t["login"] ?? "", status: status) {
            MallTemplates.render(
                "mall_login",
                [
                    "t": t, "login_token": token, "error": error ?? false, "phone": phone,
                    "code_step": step == .code, "phone_step": step == .phone, "next": next,
                ])
        }
        response.headers[values: .setCookie].append(
            "\(Self.loginCookie)=\(token); Path=/mall/login; HttpOnly; SameSite=Strict"
                + (Self.overTLS(request) ? "; Secure" : ""))
        return response
    }

    /// Whether a TLS-terminating proxy says the browser used HTTPS.
    static func overTLS(_ request: Request) -> Bool {
        header(request, "X-Forwarded-Proto")?.lowercased() == "https"
    }
}
