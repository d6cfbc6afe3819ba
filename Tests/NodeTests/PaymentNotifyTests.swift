import Commerce
import FenxiaoTesting
import Foundation
import Node
import Storage
import Testing

/// The mall's payment notifications (``Payments/notify(_:signature:provider:)``) on a real
/// central: signed, checked against the payment, settled exactly once in one transaction; and a
/// property test over random paths (payments, repeated and concurrent notifications, failures,
/// stored value, cancels, refund requests) where the order's paid amount, its replicated
/// payments, the mall payment ledger and the member's stored value always agree.
@Suite struct PaymentNotifyTests {
    /// Central with stock, member M1 (¥100 stored value) and member M2.
    static func central(_ dir: TempDirectory) throws -> FenxiaoNode {
        let central = try Fixtures.central(in: dir)
        for sku in ["TEA-01", "BUN-01", "MUG-01"] {
            _ = try central.inventory.move(sku: sku, quantity: 500, reason: .receive)
        }
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000011")
        _ = try central.members.upsert(id: "M2", name: "Wu", phone: "13800000012")
        _ = try central.members.ledger(member: "M1", account: .wallet, delta: 10_000, reason: "deposit")
        return central
    }

    static func online(_ central: FenxiaoNode, member: String = "M1", sku: String = "MUG-01") throws -> OrderView {
        try central.orders.create(OrderRequest(lines: [.line(sku, 1)], member: member, channel: .online))
    }

    @Test func theSameNotificationTwicePaysOnce() throws {
        try withTempDirectory("notify-twice") { dir in
            let central = try Self.central(dir)
            let order = try Self.online(central)
            let sandbox = try central.payments.sandboxProvider()
            let me = try central.selfService(member: "M1")
            let payment = try me.startPayment(order: order.id, provider: sandbox, method: .wechat)
            #expect(payment.amount_cents == order.total_cents && payment.state == "created")
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            #expect(try central.payments.notify(n, signature: signature, provider: sandbox) == .paid(order: order.id))
            #expect(
                try central.payments.notify(n, signature: signature, provider: sandbox)
                    == .alreadySettled(state: "paid"))
            let paid = try central.orders.find(order.id)
            #expect(paid.status == "paid" && paid.paid_cents == paid.total_cents)
            #expect(paid.payments.count == 1 && paid.payments.first?.method == "wechat")
            let rows = try central.payments.payments(order: order.id)
            #expect(rows.map(\.state) == ["paid"] && rows.first?.provider_txn == n.transaction)
            // The secret is made once and kept: a second provider signs the same.
            #expect(try central.payments.sandboxProvider().sign(n) == signature)
        }
    }

    @Test func aWrongSignatureOrAmountChangesNothing() throws {
        try withTempDirectory("notify-bad") { dir in
            let central = try Self.central(dir)
            let order = try Self.online(central)
            let sandbox = try central.payments.sandboxProvider()
            let payment = try central.selfService(member: "M1").startPayment(
                order: order.id, provider: sandbox, method: .alipay)
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            let forged = SandboxPaymentProvider(secret: "not-the-secret").sign(n)
            #expect(throws: NodeError.self) { try central.payments.notify(n, signature: forged, provider: sandbox) }
            var cheaper = n
            cheaper.amountCents = 1
            #expect(throws: NodeError.self) {
                try central.payments.notify(cheaper, signature: signature, provider: sandbox)
            }
            do {
                _ = try central.payments.notify(cheaper, signature: sandbox.sign(cheaper), provider: sandbox)
                Issue.record("a signed notification with another amount was accepted")
            } catch let error as NodeError {
                #expect(error.code == .invalidInput && error.message.contains("nothing was recorded"))
            }
            #expect(try central.orders.find(order.id).status == "pending")
            #expect(try central.orders.find(order.id).payments.isEmpty)
            #expect(try central.payments.payments(order: order.id).map(\.state) == ["created"])
        }
    }

    @Test func concurrentIdenticalCallbacksPayOnce() async throws {
        try await withTempDirectory("notify-race") { dir in
            let central = try Self.central(dir)
            let order = try Self.online(central)
            let sandbox = try central.payments.sandboxProvider()
            let payment = try central.selfService(member: "M1").startPayment(
                order: order.id, provider: sandbox, method: .wechat)
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            let outcomes = try await withThrowingTaskGroup(of: PaymentNotifyOutcome.self) { group in
                for _ in 0..<8 {
                    group.addTask { try central.payments.notify(n, signature: signature, provider: sandbox) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .paid(order: order.id) }.count == 1)
            #expect(outcomes.filter { $0 == .alreadySettled(state: "paid") }.count == 7)
            let paid = try central.orders.find(order.id)
            #expect(paid.payments.count == 1 && paid.paid_cents == paid.total_cents)
        }
    }

    @Test func aFailureLeavesTheOrderPendingAndALaterPaymentPays() throws {
        try withTempDirectory("notify-fail") { dir in
            let central = try Self.central(dir)
            let order = try Self.online(central)
            let sandbox = try central.payments.sandboxProvider()
            let me = try central.selfService(member: "M1")
            let first = try me.startPayment(order: order.id, provider: sandbox, method: .wechat)
            #expect(try me.sandboxResult(payment: first.id, result: .failed, provider: sandbox) == .failed)
            #expect(try central.orders.find(order.id).status == "pending")
            let second = try me.startPayment(order: order.id, provider: sandbox, method: .alipay)
            #expect(
                try me.sandboxResult(payment: second.id, result: .paid, provider: sandbox) == .paid(order: order.id))
            #expect(try central.payments.payments(order: order.id).map(\.state) == ["failed", "paid"])
            #expect(try central.orders.find(order.id).payments.map(\.method) == ["alipay"])
        }
    }

    @Test func aLateSuccessForACancelledOrAlreadyPaidOrderIsARefundDue() throws {
        try withTempDirectory("notify-late") { dir in
            let central = try Self.central(dir)
            let sandbox = try central.payments.sandboxProvider()
            let me = try central.selfService(member: "M1")
            let cancelled = try Self.online(central)
            let late = try me.startPayment(order: cancelled.id, provider: sandbox, method: .wechat)
            _ = try me.cancelOrder(cancelled.id)
            #expect(
                try me.sandboxResult(payment: late.id, result: .paid, provider: sandbox)
                    == .refundDue(reason: "order cancelled"))
            #expect(try central.orders.find(cancelled.id).status == "cancelled")
            #expect(try central.orders.find(cancelled.id).payments.isEmpty)

            let twice = try Self.online(central)
            let a = try me.startPayment(order: twice.id, provider: sandbox, method: .wechat)
            let b = try me.startPayment(order: twice.id, provider: sandbox, method: .alipay)
            #expect(try me.sandboxResult(payment: a.id, result: .paid, provider: sandbox) == .paid(order: twice.id))
            #expect(
                try me.sandboxResult(payment: b.id, result: .paid, provider: sandbox)
                    == .refundDue(reason: "order already paid"))
            #expect(try central.orders.find(twice.id).payments.count == 1)
            let due = try central.payments.list(state: "refund_due")
            #expect(Set(due.map(\.id)) == [late.id, b.id])
            let events = try central.read { r in try r.outbox(limit: 100) }.filter { $0.topic == "payment.refund_due" }
            #expect(Set(events.map(\.subject)) == [cancelled.id, twice.id])
        }
    }

    @Test func aMemberCannotPayOrSeeSomeoneElsesOrder() throws {
        try withTempDirectory("notify-other") { dir in
            let central = try Self.central(dir)
            let theirs = try Self.online(central, member: "M2")
            let sandbox = try central.payments.sandboxProvider()
            let me = try central.selfService(member: "M1")
            for attempt in [
                { _ = try me.startPayment(order: theirs.id, provider: sandbox, method: .wechat) },
                { _ = try me.payStored(order: theirs.id) }, { _ = try me.cancelOrder(theirs.id) },
            ] as [() throws -> Void] {
                do {
                    try attempt()
                    Issue.record("acted on someone else's order")
                } catch let error as NodeError {
                    #expect(error.code == .notFound)
                }
            }
            #expect(try central.orders.find(theirs.id).status == "pending")
            #expect(try central.payments.payments(order: theirs.id).isEmpty)
        }
    }

    // MARK: the money property

    /// A small deterministic generator (SplitMix64), so a failing seed replays.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: 0..<12) func paidAmountsAndThePaymentLedgerAlwaysAgree(seed: Int) throws {
        try withTempDirectory("notify-money") { dir in
            let central = try Self.central(dir)
            let sandbox = try central.payments.sandboxProvider()
            let me = try central.selfService(member: "M1")
            var rng = SplitMix(state: UInt64(seed) &* 7919 &+ 1)
            var orders: [String] = []
            var sent: [(PaymentNotification, String)] = []
            for _ in 0..<40 {
                let step = Int.random(in: 0..<9, using: &rng)
                let order = orders.randomElement(using: &rng)
                // Each step may be refused (wrong state, balance…); a refusal must change nothing.
                _ = try? {
                    switch step {
                    case 0:
                        orders.append(try Self.online(central, sku: ["TEA-01", "BUN-01", "MUG-01"][seed % 3]).id)
                    case 1, 2:
                        guard let order else { return }
                        let p = try me.startPayment(order: order, provider: sandbox, method: .wechat)
                        sent.append(sandbox.notification(for: p, result: Bool.random(using: &rng) ? .paid : .failed))
                    case 3, 4:
                        // A notification, maybe a repeat of an earlier one.
                        guard let (n, s) = sent.randomElement(using: &rng) else { return }
                        _ = try central.payments.notify(n, signature: s, provider: sandbox)
                    case 5:
                        guard let order else { return }
                        _ = try me.payStored(order: order)
                    case 6:
                        guard let order else { return }
                        _ = try me.cancelOrder(order)
                    case 7:
                        guard let order else { return }
                        _ = try me.requestRefund(order: order, reason: "不想要了")
                    default:
                        guard let (n, _) = sent.randomElement(using: &rng) else { return }
                        _ = try central.payments.notify(n, signature: "00", provider: sandbox)
                    }
                }()
            }
            var storedPaid: Int64 = 0
            for id in orders {
                let order = try central.orders.find(id)
                let ledger = try central.payments.payments(order: id)
                let settled = ledger.filter { $0.state == "paid" }
                #expect(settled.count <= 1, "order \(id) paid by \(settled.count) payments")
                #expect(order.paid_cents == settled.reduce(0) { $0 + $1.amount_cents }, "order \(id)")
                #expect(order.payments.count == settled.count, "order \(id)")
                #expect(order.payments.map(\.method) == settled.map(\.method), "order \(id)")
                if order.status == "pending" || order.status == "cancelled" { #expect(settled.isEmpty) }
                for row in ledger where row.state == "refund_due" { #expect(order.status != "pending") }
                storedPaid += settled.filter { $0.method == "stored" }.reduce(0) { $0 + $1.amount_cents }
            }
            #expect(try central.members.find("M1").wallet_cents == 10_000 - storedPaid)
            for request in try central.orders.refundRequests() {
                #expect(try central.orders.find(request.order).paid_cents > 0)
            }
        }
    }
}
