import Hummingbird
import Logging

/// One log line per request, after its answer: `method`, `path`, `status`, `bytes` (of the
/// answer's body), `duration_ms` and, when the request authenticated as a store, `store`.
/// Hummingbird's `LogRequestsMiddleware` logs a request when it arrives, without its status
/// or duration, so central has this one. It is the outermost middleware: a refused request is
/// logged with the status it was answered with. The query string is left out (it carries
/// only cursors today, and should never carry a secret into the journal).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Also counts the request in `fenxiao_http_requests_total` (nil: no metrics).
    let metrics: ServerMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let scope = RequestScope()
        let started = ContinuousClock.now
        do {
            let response = try await RequestScope.$current.withValue(scope) { try await next(request, context) }
            record(request, context, scope, status: response.status.code, bytes: response.body.contentLength, started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, scope, status: status, bytes: nil, started)
            throw error
        }
    }

    func record(
        _ request: Request, _ context: Context, _ scope: RequestScope, status: Int, bytes: Int?,
        _ started: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - started
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(status), "bytes": .stringConvertible(bytes ?? 0),
            "duration_ms": .stringConvertible(elapsed.millis),
        ]
        if let store = scope.store { metadata["store"] = .string(store) }
        context.logger.info("request", metadata: metadata)
        metrics?.request(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status,
            duration: elapsed)
    }
}
