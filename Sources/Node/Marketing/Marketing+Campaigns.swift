import Commerce
import Foundation
import Replication
import Storage

extension Marketing {
    /// Sends a campaign message to members (a group, or a computed list), one outbox event per
    /// member, skipping those who opted out; delivered by the webhook outbox like order events.
    public func sendCampaign(kind: CampaignKind, message: String, members: [String]) throws(NodeError) -> (
        sent: Int, optedOut: Int
    ) {
        guard !message.isEmpty, message.utf8.count <= 2000 else {
            throw NodeError(.invalidInput, "\(Field.message) must be 1–2000 bytes")
        }
        return try write(.marketing, "campaign.\(kind.rawValue)") { tx in
            var sent = 0
            var optedOut = 0
            for m in members.sorted() {
                guard let f = try tx.reader.register(MemberRegister.self, m) else { continue }
                if f.optOut == true {
                    optedOut += 1
                    continue
                }
                var payload = ""
                JSONValue.object(["member": .string(m), "kind": .string(kind.rawValue), "message": .string(message)])
                    .write(into: &payload)
                try tx.enqueue(topic: "member.message", subject: m, payload: payload)
                sent += 1
            }
            return (sent, optedOut)
        }
    }
}
