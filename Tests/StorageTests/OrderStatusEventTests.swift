import FenxiaoTesting
import Replication
import Testing

@testable import Storage

/// The `order.status` event payload is written directly; it must be the canonical JSON the
/// dictionary form gives (what webhooks and `order events` have always carried).
@Suite struct OrderStatusEventTests {
    @Test func theDirectPayloadIsTheCanonicalObject() {
        let json = RandomJSON.parserStress
        var rng = SplitMix64(seed: 21)
        for _ in 0..<500 {
            func maybe() -> String? { rng.chance(30) ? nil : json.string(&rng) }
            let (order, status) = (json.string(&rng), json.string(&rng))
            let (previous, store, member) = (maybe(), maybe(), maybe())
            let total: Int64? = rng.chance(30) ? nil : rng.int64(Int64.min...Int64.max)
            let expected = JSONValue.object([
                "order": .string(order), "status": .string(status), "previous": previous.map(JSONValue.string) ?? .null,
                "store": store.map(JSONValue.string) ?? .null, "member": member.map(JSONValue.string) ?? .null,
                "total_cents": total.map(JSONValue.int) ?? .null,
            ]).canonicalText
            let written = ChangeApplier.orderStatusEvent(
                order: order, status: status, previous: previous, store: store, member: member, totalCents: total)
            #expect(written == expected)
        }
    }
}
