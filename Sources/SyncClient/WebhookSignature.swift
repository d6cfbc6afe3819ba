import Crypto
import Foundation

/// How central signs each webhook POST, and how a receiver checks it.
///
/// The signature is HMAC-SHA256, keyed with the endpoint's secret, over
/// `"<timestamp>.<body>"` (the timestamp in Unix seconds, as sent in
/// `X-Fenxiao-Timestamp`), written `sha256=<lowercase hex>` in `X-Fenxiao-Signature`.
/// Signing the timestamp with the body stops a captured request from being replayed later:
/// a receiver refuses a timestamp outside its window (``replayWindowSeconds``) and, inside it,
/// an event id (`X-Fenxiao-Event`) it has already handled. Each retry is signed anew with the
/// time it is sent.
public struct WebhookSignature: Sendable {
    public static let timestampHeader = "X-Fenxiao-Timestamp"
    public static let signatureHeader = "X-Fenxiao-Signature"
    public static let eventHeader = "X-Fenxiao-Event"
    /// How far a receiver should accept a timestamp from its own clock (5 minutes).
    public static let replayWindowSeconds: Int64 = 300

    /// The secret's bytes (`SymmetricKey` is not `Sendable`; a key is made per signature).
    let secret: [UInt8]

    /// `secret`: the endpoint's shared secret (at least 16 bytes).
    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// `sha256=<hex>` for `body` sent at `timestamp` (Unix seconds).
    public func signature(body: [UInt8], timestamp: Int64) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        mac.update(data: Data("\(timestamp).".utf8))
        mac.update(data: body)
        return "sha256=" + Data(mac.finalize()).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` signs `body` at `timestamp` and the timestamp is within the replay
    /// window of `now` (Unix seconds). Compares in constant time.
    public func verify(body: [UInt8], timestamp: String, signature: String, now: Int64) -> Bool {
        guard let ts = Int64(timestamp), abs(now - ts) <= Self.replayWindowSeconds else { return false }
        let expected = Array(self.signature(body: body, timestamp: ts).utf8), given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
