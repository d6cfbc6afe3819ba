import Hummingbird
import Logging
import NIOCore
import Node
import Replication

/// A use case's error is the HTTP answer: its status, and a JSON body `{"error", "code"}`
/// (sync/PROTOCOL.md §7), with `"field"` when the error is about one field of the request.
/// The sentence is English, except at the till (`/till/…`), which speaks the cashier's
/// language (``TillLanguage``: Chinese unless the till switched to English); `code` and
/// `field` stay as they are in every language.
extension NodeError: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: httpStatus) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let sentence = request.uri.path.hasPrefix("/till/") ? tillSentence(TillLanguage.of(request)) : message
        return json(
            status, encodeJSON(SyncWire.ErrorBody(error: sentence, code: code.rawValue, field: field?.rawValue)))
    }
}

/// Answers every error a handler throws as a ``NodeError`` (`NodeError.wrap` names what the
/// layers below meant), so each answer has the JSON error shape and, being inside
/// `ClockHeaders`, carries central's clock like any other answer.
struct NodeErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            Self.logRefusal(error, request, context)
            return try error.response(from: request, context: context)  // NodeError, or Hummingbird's own (404…)
        } catch {
            let wrapped = NodeError.wrap(error)
            Self.logRefusal(wrapped, request, context)
            return try wrapped.response(from: request, context: context)
        }
    }

    /// Every refusal is logged with its reason (English, whatever the till's language): a
    /// wrong token or a forged origin at `warning`, other 4xx at `notice`, 5xx at `error`.
    static func logRefusal(_ error: any HTTPResponseError, _ request: Request, _ context: Context) {
        let status = error.status.code
        var metadata: Logger.Metadata = [
            "status": .stringConvertible(status), "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
        ]
        if let node = error as? NodeError {
            metadata["code"] = .string(node.code.rawValue)
            metadata["reason"] = .string(node.message)
            if let field = node.field { metadata["field"] = .string(field.rawValue) }
        } else {
            metadata["reason"] = .string("\(error.status.reasonPhrase)")
        }
        if let store = RequestScope.current?.store { metadata["store"] = .string(store) }
        let level: Logger.Level =
            status >= 500 ? .error : [401, 403, 409].contains(status) ? .warning : .notice
        context.logger.log(level: level, "refused", metadata: metadata)
    }
}
