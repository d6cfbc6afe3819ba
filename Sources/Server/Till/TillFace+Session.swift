import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// Who sells at this till: the browser holds the till's token (set once by enrolment) and,
/// after a login with user id and PIN, a session token; both are HttpOnly cookies, and the
/// node keeps only their hashes.
extension TillFace {
    static let tillCookie = "fenxiao_till"
    static let sessionCookie = "fenxiao_session"

    /// The node acting as the signed-in staff member (401 without a live session).
    func cashier(_ request: Request) async throws -> FenxiaoNode {
        try await signedIn(request).node
    }

    /// The live session of this browser and the node acting as its user.
    func signedIn(_ request: Request) async throws -> (session: TillSession, node: FenxiaoNode) {
        guard let token = cookie(request, Self.sessionCookie) else {
            throw NodeError(.unauthorized, "log in at this till with your user id and PIN")
        }
        let node = self.node
        return try await blocking {
            let session = try node.till.session(token)
            return (session, node.till.node(for: session))
        }
    }

    func addSessionRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/till/enroll") { request, _ in
            if let token = request.uri.queryParameters.get("token"), !token.isEmpty { return enrolled(token) }
            return html(
                TillLoginPage(layout: bareLayout(request)).enroll(error: nil), request: request,
                language: TillLanguage.of(request))
        }
        router.post("/till/enroll") { request, _ in
            let form = try await Form.read(request)
            guard let token = form["token"], !token.isEmpty else {
                return html(
                    TillLoginPage(layout: bareLayout(request)).enroll(error: "till token"), request: request,
                    language: TillLanguage.of(request), status: .badRequest)
            }
            return enrolled(token)
        }
        router.get("/till/login") { request, _ in
            guard cookie(request, Self.tillCookie) != nil else { return redirect("/till/enroll") }
            return html(
                TillLoginPage(layout: bareLayout(request)).login(error: nil), request: request,
                language: TillLanguage.of(request))
        }
        router.post("/till/login") { request, _ in
            let form = try await Form.read(request)
            do {
                let login = try await logIn(request, user: form["user"] ?? "", pin: form["pin"] ?? "")
                var response = redirect("/till/sale")
                response.headers[.setCookie] = Self.sessionSetCookie(login.token)
                return response
            } catch let error as NodeError {
                return html(
                    TillLoginPage(layout: bareLayout(request)).login(error: error), request: request,
                    language: TillLanguage.of(request), status: HTTPResponse.Status(code: error.httpStatus))
            }
        }
        router.post("/till/api/login") { request, _ in
            let body = try await decode(TillAPI.Login.self, request)
            let login = try await logIn(request, user: body.user, pin: body.pin)
            var response = jsonValue(login.session)
            response.headers[.setCookie] = Self.sessionSetCookie(login.token)
            return response
        }
        router.post("/till/logout") { request, _ in
            if let token = cookie(request, Self.sessionCookie) {
                let node = self.node
                _ = try? await blocking { try node.till.logout(token) }
            }
            var response = redirect("/till/login")
            response.headers[.setCookie] = "\(Self.sessionCookie)=; Path=/till; Max-Age=0; HttpOnly; SameSite=Strict"
            return response
        }
    }

    func logIn(_ request: Request, user: String, pin: String) async throws -> TillLogin {
        guard let tillToken = cookie(request, Self.tillCookie) else {
            throw NodeError(
                .unauthorized, "this browser is not an enrolled till; open the enrolment link from `fenxiao till add`")
        }
        let node = self.node
        let user = try TillInputText.code(user, .user)
        let pin = try TillInputText.code(pin, .pin, limit: 16)
        guard tillToken.utf8.count <= 256 else {
            throw NodeError(
                .unauthorized, "\(Field.tillToken) is not a till of this store; enrol the till with `fenxiao till add`")
        }
        return try await loginWork { try node.till.login(user: user, pin: pin, tillToken: tillToken) }
    }

    /// The till's token kept by this browser for a year, then on to the login page.
    func enrolled(_ token: String) -> Response {
        var response = redirect("/till/login")
        response.headers[.setCookie] =
            "\(Self.tillCookie)=\(Form.cookieSafe(token)); Path=/till; Max-Age=31536000; HttpOnly; SameSite=Strict"
        return response
    }

    static func sessionSetCookie(_ token: String) -> String {
        "\(sessionCookie)=\(Form.cookieSafe(token)); Path=/till; HttpOnly; SameSite=Strict"
    }

    /// A page frame without a cashier (enrolment and login).
    func bareLayout(_ request: Request) -> TillLayout {
        TillLayout(language: TillLanguage.of(request), store: storeName, cashier: nil, status: nil)
    }
}

func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
}
