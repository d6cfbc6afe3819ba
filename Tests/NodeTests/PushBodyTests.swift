import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// A push is written from the log's rows as stored (`StoreReader.ownChangesBody`): byte for
/// byte the body of the decoded changes re-encoded, for every page of a store's day — member
/// names that need JSON escapes and non-ASCII text included — and a corrupt row is refused.
@Suite struct PushBodyTests {
    @Test func theBodyFromRowsIsTheBodyOfTheDecodedChangesForEveryPage() throws {
        try withCentral("push-body") { central, dir in
            let store = try Fixtures.store("s1", in: dir, from: central)
            for sku in ["TEA-01", "BUN-01", "MUG-01"] {
                _ = try store.inventory.move(sku: sku, quantity: 50, reason: .receive)
            }
            _ = try store.members.upsert(id: "M1", name: "Li \"Tea\" \\ 李四 🍵 tab\tend", phone: "13900000001")
            let sold = try store.orders.create(
                OrderRequest(lines: [.line("TEA-01", 2), .line("BUN-01", 1)], member: "M1", pay: .cash))
            _ = try store.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .card))
            _ = try store.orders.refund(order: sold.id, amount: nil, reason: "破损 \"box\"", restock: true)
            let total = try store.read { try $0.ownChanges(after: 0, limit: 10_000).count }
            #expect(total > 10)
            for (after, limit) in [(Int64(0), 10_000), (0, 1), (3, 4), (Int64(total - 2), 5), (Int64(total), 5)] {
                let (body, count) = try store.read { try $0.ownChangesBody(after: after, limit: limit) }
                let decoded = try store.read { try $0.ownChanges(after: after, limit: limit) }
                #expect(count == decoded.count)
                #expect(
                    String(decoding: body, as: UTF8.self) == SyncWire.PushRequest.encode(decoded),
                    "page after \(after), limit \(limit)")
                #expect(try ChangeRecord.decodeBatch(body) == decoded, "central reads the same changes back")
            }
        }
    }

    /// A push stops adding changes once its body holds `maxBytes` (the sync writes at most
    /// 4 MiB, half of central's default body limit), and always carries one.
    @Test func aBodyStopsOnceItHoldsMaxBytes() throws {
        try withCentral("push-body-bytes") { central, dir in
            let store = try Fixtures.store("s1", in: dir, from: central)
            for sku in ["TEA-01", "BUN-01", "MUG-01", "TEA-01"] {
                _ = try store.inventory.move(sku: sku, quantity: 50, reason: .receive)
            }
            let three = try store.read { try $0.ownChangesBody(after: 0, limit: 3) }.body
            let held = three.count - 2  // without the closing "]}"
            for (maxBytes, expected) in [(1, 1), (held - 1, 3), (held, 3), (held + 1, 4)] {
                let (body, count) = try store.read {
                    try $0.ownChangesBody(after: 0, limit: 10_000, maxBytes: maxBytes)
                }
                #expect(count == expected, "maxBytes \(maxBytes)")
                #expect(body == (try store.read { try $0.ownChangesBody(after: 0, limit: expected) }.body))
            }
        }
    }

    @Test func aRowThatDoesNotReadBackIsRefusedAsCorrupt() throws {
        try withCentral("push-body-corrupt") { central, dir in
            let store = try Fixtures.store("s1", in: dir, from: central)
            _ = try store.members.upsert(id: "M1", name: "Li", phone: nil)
            try store.store.writeLocal { db in
                try db.execute(sql: "UPDATE change_log SET kind = 'no such kind' WHERE origin = 's1'")
            }
            #expect(throws: (any Error).self) { try store.read { try $0.ownChangesBody(after: 0, limit: 100) } }
        }
    }
}
