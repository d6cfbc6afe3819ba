import NIOConcurrencyHelpers
import Replication

/// What a handler learns about its request that the request's log line needs: the store it
/// authenticated as. The request-log middleware binds one per request (a task local: handlers
/// run in the middleware's task), `authenticateStore` fills it in.
final class RequestScope: Sendable {
    @TaskLocal static var current: RequestScope?

    private let box = NIOLockedValueBox<String?>(nil)

    /// The authenticated store's name, once a handler has checked its token.
    var store: String? {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }

    /// Notes the store the current request authenticated as (no-op outside a logged request).
    static func authenticated(_ store: NodeID) {
        current?.store = store.rawValue
    }
}
