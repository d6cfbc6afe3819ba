import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Node
import Server
import SyncClient
import Testing

/// Signed webhooks (issue 20): a receiver on 127.0.0.1 checks each delivery's HMAC and
/// timestamp as the README tells receivers to, accepts central's, and refuses a tampered body,
/// another secret and an old timestamp.
@Suite struct SignedWebhookTests {
    static let secret = "whsec-0123456789abcdef0123456789"

    /// What the receiver saw: each request's headers and body, and whether it verified.
    final class Received: Sendable {
        let box = NIOLockedValueBox<[(timestamp: String, signature: String, event: String, body: [UInt8], ok: Bool)]>([]
        )
    }

    static func field(_ name: String) throws -> HTTPFields.Element.Name {
        try #require(HTTPFields.Element.Name(name))
    }

    func receiver(_ received: Received) -> Router<BasicRequestContext> {
        let router = Router()
        let checker = WebhookSignature(secret: Self.secret)
        router.post("/hook") { request, _ in
            var request = request
            let body = Array(buffer: try await request.collectBody(upTo: 1 << 20))
            let ts = request.headers[try Self.field(WebhookSignature.timestampHeader)] ?? ""
            let sig = request.headers[try Self.field(WebhookSignature.signatureHeader)] ?? ""
            let event = request.headers[try Self.field(WebhookSignature.eventHeader)] ?? ""
            let ok = checker.verify(body: body, timestamp: ts, signature: sig, now: Int64(Date().timeIntervalSince1970))
            received.box.withLockedValue { $0.append((ts, sig, event, body, ok)) }
            return Response(status: ok ? .noContent : .unauthorized)
        }
        return router
    }

    @Test func aReceiverVerifiesCentralsSignatureAndRefusesATamperedBody() async throws {
        let shop = try OpsShop("ops-webhook")
        defer { shop.dir.remove() }
        let central = shop.central
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13900000001")
        #expect(try central.marketing.sendCampaign(kind: .recall, message: "回来看看", members: ["M1"]).sent == 1)
        let received = Received()
        try await Application(router: receiver(received)).test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))/hook"
            let delivery = try WebhookDelivery(node: central, url: url, secret: Self.secret, logger: shop.logger)
            let delivered = try await blocking { try delivery.deliverPending(now: central.store.wallNow()) }
            #expect(delivered == 1)
            let first = try #require(received.box.withLockedValue { $0.first })
            #expect(first.ok)
            #expect(first.signature.hasPrefix("sha256=") && first.signature.count == 7 + 64)
            #expect(String(decoding: first.body, as: UTF8.self).contains("回来看看"))
            #expect(!first.event.isEmpty)

            // The same headers with one byte of the body changed: refused.
            var tampered = first.body
            tampered[tampered.count - 2] ^= 0x01
            for (body, ts, sig) in [
                (tampered, first.timestamp, first.signature),
                (first.body, String((Int64(first.timestamp) ?? 0) - 3600), first.signature),
                (
                    first.body, first.timestamp,
                    WebhookSignature(secret: "another-secret-0123456789").signature(
                        body: first.body, timestamp: Int64(first.timestamp) ?? 0)
                ),
            ] {
                var headers = HTTPFields()
                headers[try Self.field(WebhookSignature.timestampHeader)] = ts
                headers[try Self.field(WebhookSignature.signatureHeader)] = sig
                try await client.execute(uri: "/hook", method: .post, headers: headers, body: ByteBuffer(bytes: body)) {
                    #expect($0.status == .unauthorized)
                }
            }
        }
        let pending = try central.read { try $0.outbox(limit: 10, pendingOnly: true) }
        #expect(pending.isEmpty, "the verified delivery was marked delivered")
    }

    @Test func aRefusingReceiverIsRetriedAndLogged() async throws {
        let shop = try OpsShop("ops-webhook-refused")
        defer { shop.dir.remove() }
        let central = shop.central
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13900000001")
        _ = try central.marketing.sendCampaign(kind: .recall, message: "hi", members: ["M1"])
        let received = Received()
        try await Application(router: receiver(received)).test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))/hook"
            // Signed with a secret the receiver does not share: 401, kept for a retry.
            let delivery = try WebhookDelivery(
                node: central, url: url, secret: "not-the-receivers-secret-0123", logger: shop.logger)
            let delivered = try await blocking { try delivery.deliverPending(now: central.store.wallNow()) }
            #expect(delivered == 0)
        }
        let event = try #require(try central.read { try $0.outbox(limit: 10, pendingOnly: true) }.first)
        #expect(event.attempts == 1 && event.last_error == "HTTP 401")
        let line = try #require(
            shop.lines.first { ($0["msg"] as? String)?.hasPrefix("webhook delivery failed") == true })
        #expect(line["reason"] as? String == "HTTP 401")
        #expect(line["attempt"] as? Int == 1)
    }

    /// A known answer computed with Python's `hmac` as in the README's receiver sample.
    @Test func theSignatureMatchesTheREADMEsPythonReceiver() {
        let signer = WebhookSignature(secret: Self.secret)
        let body = Array(#"{"id":1}"#.utf8)
        let expected = "sha256=7dd899c6f661f0f1998921c68069ce972145f5b359182d1c7f41db2f7ef0ec96"
        #expect(signer.signature(body: body, timestamp: 1_700_000_000) == expected)
        #expect(signer.verify(body: body, timestamp: "1700000000", signature: expected, now: 1_700_000_299))
        #expect(!signer.verify(body: body, timestamp: "1700000000", signature: expected, now: 1_700_000_301))
    }
}
