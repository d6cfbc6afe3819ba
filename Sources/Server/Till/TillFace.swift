import Foundation
import Hummingbird
import Node
import Replication

/// The till: a store node's counter face on the shop's LAN. Its pages (`/till/…`) and its JSON
/// API (`/till/api/…`) call the same use cases as the CLI; the store's own database keeps every
/// sale, so a till page is disposable and selling goes on while central is unreachable.
public struct TillFace: Sendable {
    public let node: FenxiaoNode
    public let health: SyncHealth

    public init(node: FenxiaoNode, health: SyncHealth) {
        self.node = node
        self.health = health
    }

    /// A store node's router: health, and the till's pages, assets and API; every error is
    /// answered as JSON `{"error", "code", "field"}`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestLogMiddleware(metrics: nil))
        router.add(middleware: NodeErrorMiddleware())
        let node = self.node
        router.get("/v1/health") { _, _ in
            json(
                .ok,
                #"{"status":"ok","node":"\#(node.identity.node.rawValue)","role":"\#(node.identity.role.rawValue)"}"#)
        }
        addRoutes(to: router)
        return router
    }

    /// Adds the till's pages, assets and API to `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        addAssetRoutes(router)
        addSessionRoutes(router)
        addPageRoutes(router)
        addShiftRoutes(router)
        addParkRoutes(router)
        addAPIRoutes(router)
    }

    /// The store's name as the receipt prints it.
    var storeName: String { node.identity.node.rawValue }
}

extension TillFace {
    /// Reads and decodes a JSON request body (at most 256 KiB), then checks it (``TillInput``);
    /// a malformed body is a 400 that names the field when the decoder knows it.
    func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: 256 * 1024)
        } catch {
            throw NodeError(.tooLarge, "request body exceeds 256 KiB")
        }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw NodeError(
                .invalidInput, "\(Field(rawValue: key.stringValue)) is missing", field: Field(rawValue: key.stringValue)
            )
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw Self.badValue(context)
        } catch let DecodingError.dataCorrupted(context) {
            // A number that fits no Int64 (too big, or fractional) reads as "not JSON" on Linux:
            // name the field that holds it.
            if context.codingPath.isEmpty, let field = TillNumbers.unrepresentable(in: body) {
                throw NodeError(.invalidInput, "\(field) must be a whole number that fits in 64 bits", field: field)
            }
            throw Self.badValue(context)
        } catch {
            throw NodeError(.invalidInput, message: "the request body is not valid JSON")
        }
        // Codes read as ASCII, texts within their bounds (see TillInput).
        if let input = value as? any TillInput, let checked = try input.checkedInput() as? T { return checked }
        return value
    }

    static func badValue(_ context: DecodingError.Context) -> NodeError {
        guard let key = context.codingPath.last(where: { $0.intValue == nil }) else {
            return NodeError(.invalidInput, message: "the request body is not valid JSON")
        }
        let field = Field(rawValue: key.stringValue)
        return NodeError(.invalidInput, "\(field) has a value of the wrong kind", field: field)
    }
}

/// A JSON answer of an encodable value.
func jsonValue<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    json(status, encodeJSON(value))
}
