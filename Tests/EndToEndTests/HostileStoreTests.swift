import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// A store's token in hostile hands (issue 15 items 1–3, 5): forged changes pushed over real
/// HTTP to a real `fenxiao serve`, for every kind a store may write — each field at and past
/// its bound, overflowing values, foreign authorship, invented references. Each refused push
/// answers 4xx and applies nothing (central's state hash is unchanged), central stays up, and
/// the honest stores still converge afterwards.
@Suite(.serialized) struct HostileStoreTests {
    /// One forged change: what it tries, and whether central must take it (at a bound).
    struct Probe: Sendable {
        var what: String
        var kind: EntityKind
        var entity: String
        var fields: Fields
        var scope: Scope
        var accepted = false
        /// Refused only once the hostile store has pulled the member it names.
        var afterPull = false
    }

    final class Rig {
        let dir = TempDirectory("hostile-store")
        let central: FenxiaoNode
        let server: ServerProcess
        var stores: [String: FenxiaoNode] = [:]
        var tokens: [String: String] = [:]
        let admin: String
        let http: CurlHTTPClient

        init() throws {
            central = try Fixtures.central(in: dir)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.marketing.defineCoupon(
                code: "C1", amount: Money(cents: 500), minSpend: nil, singleUse: true)
            for n in ["s1", "s2", "s3"] { tokens[n] = try central.sync.enroll(node: n, warehouses: []) }
            admin = try central.sync.enroll(node: "hq", warehouses: [], admin: true)
            server = try ServerProcess(data: dir.sub("central"))
            http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 10_000)
            for n in ["s1", "s2", "s3"] {
                let node = try FenxiaoNode.initialize(directory: dir.sub(n), node: n, role: .store)
                try node.store.setMeta(["central_url": server.url, "token": tokens[n] ?? ""])
                stores[n] = node
            }
        }

        func store(_ n: String) throws -> FenxiaoNode { try #require(stores[n]) }

        func sync(_ n: String) async throws -> SyncSession.Summary {
            let node = try store(n)
            let runner = try SyncRunner(
                node: node, link: try SyncRunner.link(of: node),
                configuration: .init(batchSize: 500, maxAttempts: 2, baseDelayMillis: 20, maxDelayMillis: 50),
                timeoutMillis: 30_000)
            return try await runner.run()
        }

        func headers(_ token: String?) -> [String: String] {
            var h = [
                SyncWire.protocolHeader: String(SyncWire.protocolVersion),
                SyncWire.schemaHeader: String(NodeSchema.version),
                "Content-Type": "application/json",
            ]
            if let token { h["Authorization"] = "Bearer \(token)" }
            return h
        }

        /// Pushes `changes` as the hostile store s3 over HTTP; returns the status and body.
        func push(_ changes: [ChangeRecord], as node: String = "s3") throws -> (Int, String) {
            let r = try http.request(
                method: "POST", url: server.url + "/v1/sync/push", headers: headers(tokens[node]),
                body: Array(SyncWire.PushRequest.encode(changes).utf8))
            return (r.status, r.text.replacingOccurrences(of: "\\/", with: "/"))  // JSON may escape "/"
        }

        func healthy() throws -> Bool {
            try http.request(method: "GET", url: server.url + "/v1/health").status == 200
        }

        func nodes() throws -> String {
            try http.request(method: "GET", url: server.url + "/v1/nodes", headers: headers(admin)).text
                .replacingOccurrences(of: "\\/", with: "/")
        }

        func stop() {
            server.stop()
            dir.remove()
        }
    }

    static func forged(_ p: Probe, seq: Int64, by node: String = "s3") throws -> ChangeRecord {
        ChangeRecord(
            origin: try #require(NodeID(node)), seq: seq,
            hlc: HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0), kind: p.kind,
            entity: p.entity,
            fields: p.fields, scope: p.scope)
    }

    static let s2: Scope = .node(Fixture.node("s2"))
    static let long = String(repeating: "长", count: 1_700)  // 5,100 bytes

    /// Every probe, given the ids of an s1 order (O1, ¥12.50, no discount) and an s2 order.
    static func probes(own o1: String, foreign o2: String, by node: String = "s3") -> [Probe] {
        let max = Limits.self
        let own: Scope = .node(NodeID(node) ?? .central)
        return [
            // 1. Overflow and business bounds.
            Probe(
                what: "a points delta of Int64.max", kind: .memberLedger, entity: "PT-x1",
                fields: [
                    "member": "M3", "account": "points", "delta": .int(.max), "reason": "order", "ref": .string(o1),
                ], scope: .global),
            Probe(
                what: "a debit of Int64.min", kind: .memberLedger, entity: "PT-x2",
                fields: ["member": "M3", "account": "points", "delta": .int(.min), "reason": "redeem"], scope: .global),
            Probe(
                what: "a debit just past the bound", kind: .memberLedger, entity: "PT-x3",
                fields: [
                    "member": "M3", "account": "points", "delta": .int(-max.maxLedgerDelta - 1), "reason": "redeem",
                ], scope: .global),
            Probe(
                what: "a debit at the bound tied to no order", kind: .memberLedger, entity: "PT-x4",
                fields: ["member": "M3", "account": "points", "delta": .int(-max.maxLedgerDelta), "reason": "redeem"],
                scope: .global),
            Probe(
                what: "an order line of 2^62 units", kind: .orderLine, entity: "\(o1)#9",
                fields: [
                    "order": .string(o1), "line": 9, "sku": "TEA-01", "qty": .int(1 << 62), "unit_cents": 1250,
                    "discount_cents": 0,
                ],
                scope: own),
            Probe(
                what: "an order line just past the quantity bound", kind: .orderLine, entity: "\(o1)#9",
                fields: [
                    "order": .string(o1), "line": 9, "sku": "TEA-01", "qty": .int(max.maxQuantity + 1), "unit_cents": 1,
                    "discount_cents": 0,
                ],
                scope: own),
            Probe(
                what: "a unit price past the bound", kind: .orderLine, entity: "\(o1)#9",
                fields: [
                    "order": .string(o1), "line": 9, "sku": "TEA-01", "qty": 1,
                    "unit_cents": .int(max.maxUnitCents + 1), "discount_cents": 0,
                ],
                scope: own),
            Probe(
                what: "line number 0", kind: .orderLine, entity: "\(o1)#0",
                fields: [
                    "order": .string(o1), "line": 0, "sku": "TEA-01", "qty": 1, "unit_cents": 1, "discount_cents": 0,
                ], scope: own),
            Probe(
                what: "a stock move past the bound", kind: .stockMove, entity: "MV-x1",
                fields: [
                    "sku": "TEA-01", "warehouse": .string(node), "reason": "receive", "qty": .int(max.maxQuantity + 1),
                ], scope: own),
            Probe(
                what: "a stock move of Int64.min", kind: .stockMove, entity: "MV-x2",
                fields: ["sku": "TEA-01", "warehouse": .string(node), "reason": "sale", "qty": .int(.min)], scope: own),
            Probe(
                what: "a stock move at the bound", kind: .stockMove, entity: "MV-x3",
                fields: [
                    "sku": "TEA-01", "warehouse": .string(node), "reason": "receive", "qty": .int(max.maxQuantity),
                ], scope: own, accepted: true),
            Probe(
                what: "a stock move with an unknown reason", kind: .stockMove, entity: "MV-x4",
                fields: ["sku": "TEA-01", "warehouse": .string(node), "reason": "gift", "qty": 1], scope: own),
            Probe(
                what: "a payment past the bound", kind: .payment, entity: "PAY-x1",
                fields: ["order": .string(o1), "method": "cash", "amount_cents": .int(max.maxAmountCents + 1)],
                scope: own),
            Probe(
                what: "a refund of Int64.max", kind: .refund, entity: "RF-x1",
                fields: ["order": .string(o1), "amount_cents": .int(.max)], scope: own),
            Probe(
                what: "a refund of 0", kind: .refund, entity: "RF-x2",
                fields: ["order": .string(o1), "amount_cents": 0], scope: own),
            Probe(
                what: "a transfer of 2^62 units", kind: .transfer, entity: "TR-x1",
                fields: [
                    "sku": "TEA-01", "qty": .int(1 << 62), "from": .string(node), "to": "s2", "status": "in_transit",
                ], scope: .global),
            Probe(
                what: "a member name of 5,100 bytes", kind: .member, entity: "M7",
                fields: ["name": .string(long), "home": .string(node)], scope: .global),
            Probe(
                what: "a member name at 200 bytes", kind: .member, entity: "M8",
                fields: ["name": .string(String(repeating: "n", count: max.maxNameBytes)), "home": .string(node)],
                scope: .global, accepted: true),
            Probe(
                what: "a stock reason of 5,100 bytes", kind: .stockMove, entity: "MV-x5",
                fields: [
                    "sku": "TEA-01", "warehouse": .string(node), "reason": "receive", "qty": 1, "ref": .string(long),
                ], scope: own),
            Probe(
                what: "a field a store never writes", kind: .member, entity: "M3", fields: ["level": "GOLD"],
                scope: .global),
            Probe(
                what: "an entity id of 300 bytes", kind: .member, entity: String(repeating: "m", count: 300),
                fields: ["name": "x", "home": .string(node)], scope: .global),
            // 2. Minting and foreign authorship.
            Probe(
                what: "minting 1,000,000 points by hand", kind: .memberLedger, entity: "PT-x5",
                fields: ["member": "M3", "account": "points", "delta": 1_000_000, "reason": "gift"], scope: .global),
            Probe(
                what: "minting ¥1,000,000 of stored value", kind: .memberLedger, entity: "WL-x1",
                fields: ["member": "M3", "account": "wallet", "delta": 100_000_000, "reason": "topup", "ref": "cash"],
                scope: .global),
            Probe(
                what: "a top-up naming no payment", kind: .memberLedger, entity: "WL-x5",
                fields: ["member": "M3", "account": "wallet", "delta": 100, "reason": "topup"], scope: .global),
            Probe(
                what: "a top-up at the bound, paid by card", kind: .memberLedger, entity: "WL-x6",
                fields: [
                    "member": "M3", "account": "wallet", "delta": .int(max.maxTopupCents), "reason": "topup",
                    "ref": "card:T123",
                ],
                scope: .global, accepted: true),
            Probe(
                what: "a top-up bonus with no top-up", kind: .memberLedger, entity: "WL-x2",
                fields: ["member": "M3", "account": "wallet", "delta": 100, "reason": "topup_bonus"], scope: .global),
            Probe(
                what: "credit to a member that does not exist", kind: .memberLedger, entity: "WL-x3",
                fields: ["member": "GHOST", "account": "wallet", "delta": 100, "reason": "topup"], scope: .global),
            Probe(
                what: "points for another store's order", kind: .memberLedger, entity: "PTS-\(o2)",
                fields: ["member": "M3", "account": "points", "delta": 12, "reason": "order", "ref": .string(o2)],
                scope: .global),
            Probe(
                what: "more points than its order earns", kind: .memberLedger, entity: "PTS-\(o1)",
                fields: ["member": "M3", "account": "points", "delta": 5_000, "reason": "order", "ref": .string(o1)],
                scope: .global),
            Probe(
                what: "credits back on its order beyond its total", kind: .memberLedger, entity: "WL-x4",
                fields: ["member": "M3", "account": "wallet", "delta": 5_000, "reason": "refund", "ref": .string(o1)],
                scope: .global),
            Probe(
                what: "check-in points without a check-in claim", kind: .memberLedger, entity: "PT-CK-x",
                fields: ["member": "M3", "account": "points", "delta": 10, "reason": "checkin"], scope: .global),
            Probe(
                what: "renaming another store's member", kind: .member, entity: "M2", fields: ["name": "pwned"],
                scope: .global),
            Probe(
                what: "renaming head office's member", kind: .member, entity: "M1", fields: ["name": "pwned"],
                scope: .global),
            Probe(
                what: "re-registering a member it has already received (a rename in disguise)", kind: .member,
                entity: "M1",
                fields: ["name": "pwned", "home": .string(node), "registered_at": 1], scope: .global, afterPull: true),
            Probe(
                what: "registering a member at another home", kind: .member, entity: "M9",
                fields: ["name": "x", "home": "s2"], scope: .global),
            Probe(
                what: "taking over a member's home", kind: .member, entity: "M2",
                fields: ["last_login_at": 1, "home": .string(node)], scope: .global),
            // 3. Audit, coupon claims, conflict notes.
            Probe(
                what: "an audit entry of an unknown user", kind: .audit, entity: "AU-x1",
                fields: ["user": "boss", "action": "order.refund", "at": 1], scope: own),
            Probe(
                what: "an audit entry in another store's scope", kind: .audit, entity: "AU-x2",
                fields: ["user": "boss", "action": "order.refund", "at": 1], scope: s2),
            Probe(
                what: "burning a single-use coupon with no order", kind: .couponUse, entity: "CU-x1",
                fields: ["coupon": "C1", "amount_cents": 500], scope: .global),
            Probe(
                what: "a coupon use on another store's order", kind: .couponUse, entity: "CU-x2",
                fields: ["coupon": "C1", "order": .string(o2), "amount_cents": 500], scope: .global),
            Probe(
                what: "a coupon use on an invented order", kind: .couponUse, entity: "CU-x3",
                fields: ["coupon": "C1", "order": "O-NOPE", "amount_cents": 500], scope: .global),
            Probe(
                what: "a coupon use worth more than its order's discount", kind: .couponUse, entity: "CU-x4",
                fields: ["coupon": "C1", "order": .string(o1), "amount_cents": 500], scope: .global),
            Probe(
                what: "a claim on an unknown key", kind: .couponUse, entity: "CU-x5",
                fields: ["key": "coupon-ish:C1", "claimant": "x"], scope: .global),
            Probe(
                what: "a note on an invented conflict", kind: .conflictNote, entity: "conflict-nope",
                fields: ["status": "resolved", "note": "done"], scope: .global),
        ]
    }

    @Test func forgedChangesAreRefusedApplyNothingAndHonestStoresConverge() async throws {
        let rig = try Rig()
        defer { rig.stop() }
        let s1 = try rig.store("s1"), s2 = try rig.store("s2"), s3 = try rig.store("s3")
        for n in ["s1", "s2", "s3"] { _ = try await rig.sync(n) }
        for store in [s1, s2, s3] { _ = try store.inventory.move(sku: "TEA-01", quantity: 20, reason: .receive) }
        _ = try s3.members.upsert(id: "M3", name: "Zhao", phone: nil)
        _ = try s2.members.upsert(id: "M2", name: "Wang", phone: nil)
        let o3 = try s3.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M3", pay: .cash)).id
        let o2 = try s2.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M2", pay: .cash)).id
        for n in ["s3", "s2", "s1"] { _ = try await rig.sync(n) }

        // From here on s3 is in hostile hands: it only pushes forged changes.
        var seq = try rig.central.store.heldSeq(of: try #require(NodeID("s3"))) + 1
        for probe in Self.probes(own: o3, foreign: o2) {
            let before = try rig.central.sync.status().state_hash
            let (status, body) = try rig.push([try Self.forged(probe, seq: seq)])
            if probe.accepted {
                #expect(status == 200, "\(probe.what) is within its bound but was refused: \(body)")
                if status == 200 { seq += 1 }
            } else {
                #expect((400..<500).contains(status), "\(probe.what) was not refused: \(status) \(body)")
                #expect(try rig.central.sync.status().state_hash == before, "\(probe.what) changed central")
                #expect(body.contains("s3/\(seq)"), "\(probe.what): the refusal names the change: \(body)")
            }
            #expect(try rig.healthy(), "central went down after \(probe.what)")
        }
        // The last refusal left s3 blocked, as head office sees it.
        #expect(try rig.nodes().contains("\"blocked\""), "head office sees s3 blocked")
        #expect(try rig.central.sync.status().blocked_stores?["s3"]?.change == "s3/\(seq)")

        // The honest stores carry on, selling to the members involved, and converge.
        _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], member: "M3", pay: .cash))
        _ = try s2.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M2", pay: .cash))
        _ = try s1.members.checkin(member: "M3")
        for n in ["s1", "s2", "s1", "s2"] { _ = try await rig.sync(n) }
        #expect(try rig.central.sync.status().blocked_stores.map { Array($0.keys) } == ["s3"], "only s3 is blocked")
        for n in ["s1", "s2"] {
            #expect(
                try rig.store(n).sync.status().state_hash == rig.central.sync.status(scopeOf: n).state_hash,
                "\(n) diverged")
        }
        #expect(try rig.central.members.find("M1").name == "Li")
        #expect(try rig.central.members.find("M2").name == "Wang")
        #expect(
            try rig.central.members.find("M3").wallet_cents == Limits.maxTopupCents, "only the top-up within its bound")
        #expect(try rig.healthy())
    }

    /// Issue 15 item 5: a store whose push is refused for one change (here written by older
    /// software, past today's bound) is not stuck: sync names the change, head office sees the
    /// store blocked, `quarantine` makes it inert and everything after it flows; both ends agree.
    @Test func aRefusedChangeIsQuarantinedAndTheRestFlows() async throws {
        let rig = try Rig()
        defer { rig.stop() }
        let s1 = try rig.store("s1")
        _ = try await rig.sync("s1")
        _ = try s1.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
        _ = try await rig.sync("s1")  // s1/1 is at central
        // What an older build let through: a 5,100-byte name, bypassing today's local check.
        let bad = try s1.store.write { tx in
            try tx.emit(.member, entity: "M5", fields: ["name": .string(Self.long), "home": "s1"], scope: .global)
        }
        _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
        do {
            _ = try await rig.sync("s1")
            Issue.record("a push with an oversized name was accepted")
        } catch let e as NodeError {
            #expect(e.message.contains(bad.stamp.changeID), "sync names the change: \(e.message)")
            #expect(e.message.contains("fenxiao quarantine"), "sync says what to do: \(e.message)")
        }
        #expect(try rig.central.sync.status().blocked_stores?["s1"]?.change == bad.stamp.changeID)
        #expect(try rig.nodes().contains(bad.stamp.changeID))
        let first = try #require(ChangeID(parsing: "s1/1"))
        #expect(throws: NodeError.self) { try s1.sync.quarantine(change: first, reason: "already at central") }

        let q = try s1.sync.quarantine(change: bad.stamp.id, reason: "name too long")
        #expect(q.kind == "member" && q.entity == "M5")
        #expect(throws: NodeError.self) { try s1.members.find("M5") }  // its effect is undone here
        #expect(
            try s1.sync.quarantinedChanges().first { $0.change == bad.stamp.changeID }?.original.contains("\"M5\"")
                == true)
        _ = try await rig.sync("s1")
        #expect(try rig.central.sync.status().blocked_stores == nil)
        #expect(try rig.central.orders.list().count == 1, "the sale after the refused change reached head office")
        #expect(try s1.sync.status().state_hash == rig.central.sync.status(scopeOf: "s1").state_hash)
        #expect(try s1.members.upsert(id: "M5", name: "Sun", phone: nil).name == "Sun", "redone correctly")
        _ = try await rig.sync("s1")
        #expect(try rig.central.members.find("M5").name == "Sun")
        #expect(try s1.sync.status().state_hash == rig.central.sync.status(scopeOf: "s1").state_hash)
    }

    /// Issue 15 item 5: every bound central enforces, the local use case enforces first with
    /// the same number and a message naming the field.
    @Test func localUseCasesRefuseWhatCentralWouldRefuse() throws {
        try withCentral("hostile-local") { central, dir in
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            let before = try s1.sync.status().state_hash
            func refused(_ what: String, field: String, _ body: () throws -> Void) {
                do {
                    try body()
                    Issue.record("\(what) was accepted locally")
                } catch let e as NodeError {
                    #expect(e.code == .invalidInput || e.code == .forbidden, "\(what): \(e.message)")
                    #expect(e.message.contains(field), "\(what) names \(field): \(e.message)")
                } catch { Issue.record("\(what): \(error)") }
            }
            refused("member add --name of 5,100 bytes", field: "name") {
                _ = try s1.members.upsert(id: "M5", name: Self.long, phone: nil)
            }
            refused("stock receive --reason of 5,100 bytes", field: "(reason)") {
                _ = try s1.inventory.move(sku: "TEA-01", quantity: 1, reason: .receive, note: Self.long)
            }
            refused("points added by hand at a store", field: "head office") {
                _ = try s1.members.ledger(member: "M1", account: .points, delta: 1_000, reason: "gift")
            }
            refused("points spent by hand at a store", field: "head office") {
                _ = try s1.members.ledger(member: "M1", account: .points, delta: -10, reason: "gift")
            }
            refused("stored value spent by hand at a store", field: "payment stored") {
                _ = try s1.members.ledger(member: "M1", account: .wallet, delta: -10, reason: "manual")
            }
            refused("a top-up past the bound", field: "top-up") {
                _ = try s1.members.ledger(
                    member: "M1", account: .wallet, delta: Limits.maxTopupCents + 1, reason: "topup")
            }
            refused("renaming head office's member", field: "registered at") {
                _ = try s1.members.upsert(id: "M1", name: "x", phone: nil)
            }
            #expect(try s1.sync.status().state_hash == before)
            #expect(try s1.read { try $0.ownChangeCount(after: 0) } == 0, "nothing was written")
            // At the bound it is accepted, locally and (see the suite above) at central.
            _ = try s1.members.upsert(id: "M6", name: String(repeating: "n", count: Limits.maxNameBytes), phone: nil)
            _ = try s1.members.ledger(member: "M6", account: .wallet, delta: Limits.maxTopupCents, reason: "topup")
            #expect(try s1.members.find("M6").wallet_cents >= Limits.maxTopupCents)
        }
    }
}
