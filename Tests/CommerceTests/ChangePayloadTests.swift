import Commerce
import Replication
import Testing

/// Typed change payloads: what a use case writes is what the applier reads back, field by field,
/// and a missing or mistyped field is an error naming the kind, the change and the field.
@Suite struct ChangePayloadTests {
    static func text(_ rng: inout SplitMix64, _ prefix: String) -> String { "\(prefix)-\(rng.next() % 1000)" }
    static func maybe(_ rng: inout SplitMix64, _ prefix: String) -> String? {
        rng.next() % 2 == 0 ? nil : text(&rng, prefix)
    }

    @Test(arguments: 0..<200 as Range<UInt64>)
    func randomPayloadsRoundTripThroughTheirFields(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let move = StockMoveChange(
            sku: Self.text(&rng, "SKU"), warehouse: Self.text(&rng, "W"),
            reason: StockReason.allCases[Int(rng.next() % UInt64(StockReason.allCases.count))],
            qty: Int64(rng.next() % 2000) - 1000, releases: Self.maybe(&rng, "MV"), ref: Self.maybe(&rng, "O"),
            cancelOf: Self.maybe(&rng, "O"))
        #expect(try StockMoveChange(fields: move.fields) == move)
        let line = OrderLineChange(
            order: Self.text(&rng, "O"), line: Int64(rng.next() % 50) + 1, sku: Self.text(&rng, "SKU"),
            name: Self.text(&rng, "茶"), qty: Int64(rng.next() % 99) + 1,
            unitPrice: Money(cents: Int64(rng.next() % 99_999)),
            discount: Money(cents: Int64(rng.next() % 999)))
        #expect(try OrderLineChange(fields: line.fields) == line)
        let payment = PaymentChange(
            order: Self.text(&rng, "O"), method: Tender.allCases[Int(rng.next() % UInt64(Tender.allCases.count))],
            amount: Money(cents: Int64(rng.next() % 1_000_000)), reference: Self.maybe(&rng, "REF"))
        #expect(try PaymentChange(fields: payment.fields) == payment)
        let audit = AuditChange(
            user: Self.text(&rng, "u"), action: Self.text(&rng, "order.create"), subject: Self.maybe(&rng, "O"),
            atMillis: Int64(rng.next() % 1_000_000_000_000))
        #expect(try AuditChange(fields: audit.fields) == audit)
        let use = CouponUseChange(
            key: Self.maybe(&rng, "checkin"), coupon: Self.text(&rng, "C"), order: Self.maybe(&rng, "O"),
            claimant: Self.maybe(&rng, "m"), amount: rng.next() % 2 == 0 ? nil : Money(cents: Int64(rng.next() % 5000)),
            ref: Self.maybe(&rng, "r"))
        #expect(try CouponUseChange(fields: use.fields) == use)
    }

    /// The wire shape use cases wrote before payloads existed, kept byte for byte.
    @Test func fieldsKeepTheWireShape() {
        let move = StockMoveChange(sku: "TEA-01", warehouse: "W1", reason: .transferOut, qty: -2, ref: "T-1")
        #expect(
            JSONValue.object(move.fields).canonicalText
                == #"{"qty":-2,"reason":"transfer_out","ref":"T-1","sku":"TEA-01","warehouse":"W1"}"#)
        let line = OrderLineChange(
            order: "O-1", line: 1, sku: "TEA-01", name: "gift: 茶", qty: 1, unitPrice: .zero, discount: .zero)
        #expect(
            JSONValue.object(line.fields).canonicalText
                == #"{"discount_cents":0,"line":1,"name":"gift: 茶","order":"O-1","qty":1,"sku":"TEA-01","unit_cents":0}"#
        )
        let audit = AuditChange(user: "boss", action: "price.set", subject: nil, atMillis: 5)
        #expect(
            JSONValue.object(audit.fields).canonicalText
                == #"{"action":"price.set","at":5,"subject":null,"user":"boss"}"#)
        #expect(PaymentChange(order: "O", method: .points, amount: Money(cents: 3)).fields["method"] == "points")
    }

    @Test func aSKUPatchWritesOnlyWhatItSetsAndTheMergedRegisterReadsBack() throws {
        let created = SKURegister(
            name: "乌龙茶", price: Money(cents: 2800), product: "TEA", onShelf: true, specs: ["size": "M"],
            cleared: [.category])
        #expect(
            JSONValue.object(created.fields).canonicalText
                == #"{"category":null,"name":"乌龙茶","on_shelf":true,"price_cents":2800,"product":"TEA","specs":{"size":"M"}}"#
        )
        let schedule = SKURegister(scheduledPrices: [1_000: Money(cents: 2500)], cleared: [])
        #expect(schedule.fields == ["price@1000": .int(2500)])
        let threshold = SKURegister(lowStockAt: ["W1": 5])
        #expect(threshold.fields == ["low_stock@W1": .int(5)])
        // The merged register: every patch's fields together.
        let merged = created.fields.merging(schedule.fields) { $1 }.merging(threshold.fields) { $1 }
            .merging(["low_stock": .int(9)]) { $1 }
        let sku = try SKURegister(fields: merged)
        #expect(sku.price(at: 999) == Money(cents: 2800))
        #expect(sku.price(at: 1_000) == Money(cents: 2500))
        #expect(sku.lowStockThreshold(at: "W1") == 5)
        #expect(sku.lowStockThreshold(at: "W2") == 9)
        #expect(sku.cleared == [.category])
        #expect(
            throws: PayloadError(
                kind: .sku, field: "price@soon", problem: "must be price@<milliseconds> with a price in fen")
        ) {
            try SKURegister(fields: ["price@soon": .int(1)])
        }
    }

    @Test func transfersAndCommissionRulesRoundTrip() throws {
        let shipped = TransferRegister.shipment(sku: "TEA-01", qty: 10, from: "W1", to: "W2", atMillis: 5)
        let received = TransferRegister.receipt(qty: 8, atMillis: 9)
        #expect(shipped.writesShipment && !received.writesShipment)
        let merged = try TransferRegister(fields: shipped.fields.merging(received.fields) { $1 })
        #expect(merged.status == .received && merged.qty == 10 && merged.receivedQty == 8 && merged.from == "W1")
        #expect(received.fields == ["status": "received", "received_qty": .int(8), "received_at": .int(9)])
        let rule = CommissionRule(
            id: "R1", effectiveFrom: 100, levels: [1000, 500], fixedPerOrder: [200], fixedPerItem: [],
            overrides: ["sku:TEA": [800]],
            selfPurchase: true, windowDays: 14)
        #expect(CommissionRule(id: "R1", fields: CommissionRuleRegister(rule).fields) == rule)
        #expect(CommissionRule(id: "R1", fields: ["effective_from": .int(1), "levels": .string("10,5")]) == nil)
    }

    @Test func couponRegistersKeepBothShapes() throws {
        let short = CouponRegister(amount: Money(cents: 2000), minSpend: Money(cents: 5000), singleUse: false)
        #expect(short.fields == ["amount_cents": .int(2000), "min_spend_cents": .int(5000), "single_use": false])
        let read = try CouponRegister(fields: short.fields)
        #expect(read.isMultiUse)
        #expect(
            read.coupon(code: "VIP20")
                == Coupon(code: "VIP20", amountCents: 2000, minSpendCents: 5000, singleUse: false))
        let given = CouponRegister(singleUse: true, definition: .object([:]), holdersOnly: true)
        #expect(given.fields["give_on_spend_cents"] == .null, "a definition always carries give_on_spend_cents")
        #expect(
            try CouponRegister(fields: given.fields).coupon(code: "X") == nil, "an empty definition is not a coupon")
        #expect(CouponRegister().coupon(code: "X") == nil)
    }

    @Test func ledgerEntriesAndRefundsKeepTheirWireShape() throws {
        let entry = MemberLedgerChange(member: "M1", account: .points, delta: -250, reason: "redeem", ref: "O-1")
        #expect(
            JSONValue.object(entry.fields).canonicalText
                == #"{"account":"points","delta":-250,"member":"M1","reason":"redeem","ref":"O-1"}"#)
        #expect(try MemberLedgerChange(fields: entry.fields) == entry)
        #expect(throws: PayloadError(kind: .memberLedger, field: "account", problem: "must be 'points' or 'wallet'")) {
            try MemberLedgerChange(fields: ["member": "M1", "account": "gold", "delta": 1])
        }
        let refund = RefundChange(
            order: "O-1", amount: Money(cents: 1108), method: nil, reason: nil,
            lines: [.init(line: 2, qty: 1, amount: Money(cents: 1108))],
            parts: [.init(method: "cash", payment: nil, amount: Money(cents: 1108))])
        #expect(
            JSONValue.object(refund.fields).canonicalText
                == #"{"amount_cents":1108,"lines":[{"amount_cents":1108,"line":2,"qty":1}],"method":null,"order":"O-1","parts":[{"amount_cents":1108,"method":"cash","payment":null}],"reason":null}"#
        )
        #expect(try RefundChange(fields: refund.fields) == refund)
        var bad = refund.fields
        bad["lines"] = .array([.object(["line": 0, "qty": 1])])
        #expect(
            throws: PayloadError(
                kind: .refund, field: "lines", problem: "must hold objects with a positive line and qty")
        ) {
            try RefundChange(fields: bad)
        }
    }

    @Test func aMissingOrMistypedFieldIsNamed() {
        let valid = StockMoveChange(sku: "S", warehouse: "W", reason: .sale, qty: -1).fields
        for (field, value, problem) in [
            ("sku", JSONValue.null, "must be a non-empty string"), ("qty", .string("1"), "must be an integer"),
            ("reason", .string("stolen"), "'stolen' is not one of the allowed values"),
            ("ref", .int(3), "must be a string or null"),
        ] {
            var fields = valid
            fields[field] = value
            #expect(throws: PayloadError(kind: .stockMove, field: field, problem: problem)) {
                try StockMoveChange(fields: fields)
            }
        }
        var line = OrderLineChange(order: "O", line: 1, sku: "S", name: "n", qty: 1, unitPrice: .zero, discount: .zero)
            .fields
        line["qty"] = .int(0)
        #expect(throws: PayloadError(kind: .orderLine, field: "qty", problem: "must be positive")) {
            try OrderLineChange(fields: line)
        }
        #expect(
            throws: PayloadError(
                kind: .couponUse, field: "coupon", problem: "must be a non-empty string when there is no key")
        ) {
            try CouponUseChange(fields: ["order": "O"])
        }
    }

    @Test func decodingAChangeNamesTheChangeAndRefusesAnotherKind() throws {
        let origin = try #require(NodeID("s1"))
        var change = ChangeRecord(
            origin: origin, seq: 7, hlc: HLC(rawValue: 1), kind: .payment, entity: "PAY-1",
            fields: ["order": "O-1", "method": "cash"], scope: .node(origin))
        #expect(
            throws: PayloadError(
                kind: .payment, field: "amount_cents", problem: "must be an integer", change: "s1/7", entity: "PAY-1")
        ) {
            try change.payload(PaymentChange.self)
        }
        change.fields["amount_cents"] = 100
        #expect(try change.payload(PaymentChange.self).amount == Money(cents: 100))
        let error = #expect(throws: PayloadError.self) { try change.payload(StockMoveChange.self) }
        #expect(error?.description.contains("expected stock_move") == true)
    }
}
