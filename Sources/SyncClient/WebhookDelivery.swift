import Foundation
import Logging
import Node
import Storage

/// Delivers outbox events (order status changes, member messages) to a webhook with retries:
/// each event is POSTed as JSON, signed (``WebhookSignature``: HMAC-SHA256 of the timestamp and
/// body with the endpoint's secret); a 2xx marks it delivered; a failure is retried with
/// exponential backoff (2^attempts seconds, at most 10 attempts), then left for an operator.
/// `@unchecked Sendable`: after creation it is used only by the single delivery task.
public final class WebhookDelivery: @unchecked Sendable {
    let node: FenxiaoNode
    let url: String
    let http: CurlHTTPClient
    let logger: Logger
    let signer: WebhookSignature
    public static let maxAttempts: Int64 = 10

    /// `logger` receives each failed attempt (`webhook delivery failed`, with the event id,
    /// attempt and reason) and the give-up after ``maxAttempts``.
    public init(node: FenxiaoNode, url: String, secret: String, logger: Logger = Logger(label: "fenxiao")) throws {
        self.node = node
        self.url = url
        self.signer = WebhookSignature(secret: secret)
        self.logger = logger
        http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
    }

    /// One pass over pending events; returns how many were delivered.
    @discardableResult
    public func deliverPending(now: Int64) throws -> Int {
        let pending = try node.read { try $0.outbox(limit: 200, pendingOnly: true) }
        var delivered = 0
        for e in pending where e.attempts < Self.maxAttempts {
            if e.attempts > 0 && now < e.created_at + (Int64(1) << min(e.attempts, 20)) * 1000 { continue }
            let body = #"{"id":\#(e.id),"topic":"\#(e.topic)","subject":"\#(e.subject)","event":\#(e.payload)}"#
            do {
                let bytes = Array(body.utf8)
                let timestamp = now / 1000  // `now` is central's wall clock in ms
                let headers = [
                    "Content-Type": "application/json", WebhookSignature.eventHeader: String(e.id),
                    WebhookSignature.timestampHeader: String(timestamp),
                    WebhookSignature.signatureHeader: signer.signature(body: bytes, timestamp: timestamp),
                ]
                let r = try http.request(method: "POST", url: url, headers: headers, body: bytes)
                let ok = (200..<300).contains(r.status)
                try node.store.markOutbox(id: e.id, delivered: ok, error: ok ? nil : "HTTP \(r.status)")
                if ok { delivered += 1 } else { logFailure(e, reason: "HTTP \(r.status)") }
            } catch let e2 as TransportError {
                try node.store.markOutbox(id: e.id, delivered: false, error: e2.message)
                logFailure(e, reason: e2.message)
            }
        }
        return delivered
    }

    func logFailure(_ event: OutboxEvent, reason: String) {
        let attempt = event.attempts + 1
        let metadata: Logger.Metadata = [
            "event": .stringConvertible(event.id), "topic": .string(event.topic),
            "attempt": .stringConvertible(attempt),
            "reason": .string(reason),
        ]
        if attempt >= Self.maxAttempts {
            logger.error("webhook delivery gave up; the event stays in the outbox for an operator", metadata: metadata)
        } else {
            logger.warning("webhook delivery failed; retrying with backoff", metadata: metadata)
        }
    }
}
