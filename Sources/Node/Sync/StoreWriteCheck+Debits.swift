import Commerce
import Replication
import Storage

/// What a store may debit from a member's points or stored value: only what one of its use
/// cases produces, tied to what it pays for (issue 15: a store's token must not drain a
/// member's balance into an overdraft).
///
/// - `wallet`/`payment` (`order create --pay stored`, `order pay --pay stored`): `ref` is an
///   order of this store for that member; all such debits on the order, together, are at most
///   its `stored` payments (in the batch or held) and at most its total — so one payment is
///   debited once;
/// - `points`/`redeem` (points paying part of an order): the same against its `points` payment;
/// - `points`/`refund` (points earned on an order clawed back by a refund): all claw-backs on
///   the order together at most the points it earned;
/// - `points`/`exchange` (`points exchange`): entry `PT-<exchange>`, at most the catalog price
///   of the item in `ref`, with the exchange's stock move (a SKU) or coupon holding (a coupon)
///   earlier in the batch or held.
///
/// Any other debit (a manual spend) is head office's.
extension StoreWriteCheck {
    func checkDebit(_ c: ChangeRecord, _ index: Int, member: String, account: String, amount: Int64) throws {
        let reason = c.fields["reason"]?.stringValue ?? ""
        let ref = c.fields["ref"]?.stringValue
        let debit = "debit \(amount) \(account) from \(member) (reason \(reason))"
        switch (account, reason) {
        case ("wallet", "payment"), ("points", "redeem"):
            let method = account == "wallet" ? PaymentMethod.stored.rawValue : "points"
            let o = try ownOrder(c, ref, index, debit)
            let order = ref ?? ""
            guard o.member == member else {
                throw refuse(c, "\(debit): order \(order) is \(o.member.map { "member \($0)'s" } ?? "not a member's")")
            }
            let paid = try paymentTotal(order: order, method: method, before: index)
            let cap = min(paid, o.total)
            let debited = try Checked.add(
                try debitTotal(order: order, account: account, reason: reason, before: index), amount,
                "debits on order \(order)")
            guard debited <= cap else {
                throw refuse(
                    c,
                    "\(debit): order \(order) has \(paid) paid by \(method) (total \(o.total)); its debits would reach \(debited) "
                        + "(a payment is debited once, at most its amount)")
            }
        case ("points", "refund"):
            let o = try ownOrder(c, ref, index, debit)
            let order = ref ?? ""
            guard o.member == member else { throw refuse(c, "\(debit): order \(order) is not member \(member)'s") }
            let earned = try pointsEarned(order: order, before: index)
            let clawed = try Checked.add(
                try debitTotal(order: order, account: "points", reason: "refund", before: index), amount,
                "claw-backs on order \(order)")
            guard clawed <= earned else {
                throw refuse(c, "\(debit): order \(order) earned \(earned) points; claw-backs would reach \(clawed)")
            }
        case ("points", "exchange"):
            try checkExchange(c, index, member: member, item: ref ?? "", amount: amount, debit)
        default:
            throw refuse(
                c,
                "\(debit): a store spends points or stored value only as an order's payment (stored value or points "
                    + "redeemed at checkout), a points exchange or a refund's claw-back; other debits are head office's"
            )
        }
    }

    /// A points exchange: the catalog's price at most, with its stock move or coupon holding.
    func checkExchange(_ c: ChangeRecord, _ index: Int, member: String, item: String, amount: Int64, _ debit: String)
        throws
    {
        guard c.entity.hasPrefix("PT-") else { throw refuse(c, "\(debit): an exchange is entry PT-<exchange id>") }
        let id = String(c.entity.dropFirst(3))
        guard let price = try Members.pointsCatalog(reader).first(where: { $0.item == item })?.points else {
            throw refuse(c, "\(debit): \(item) is not in the points catalog")
        }
        guard amount <= price else { throw refuse(c, "\(debit): \(item) costs \(price) points") }
        let prior = batch.prefix(index)
        let evidence: Bool
        if item.hasPrefix("sku:") {
            let held = try reader.rows(
                "SELECT 1 FROM stock_moves WHERE id = ? AND ref = ? AND origin = ?", [id, id, node.rawValue])
            evidence =
                !held.isEmpty
                || prior.contains { $0.kind == .stockMove && $0.entity == id && $0.fields["ref"]?.stringValue == id }
        } else {
            let key = "held:\(item.dropFirst("coupon:".count)):\(member)"
            let held = try reader.rows("SELECT 1 FROM claims WHERE key = ? AND origin = ?", [key, node.rawValue])
            evidence =
                !held.isEmpty
                || prior.contains {
                    $0.kind == .couponUse && $0.fields["key"]?.stringValue == key && $0.fields["ref"]?.stringValue == id
                }
        }
        guard evidence else {
            throw refuse(c, "\(debit): exchange \(id) gave no \(item) (its stock move or coupon holding is missing)")
        }
    }

    /// `NOT (origin = store AND seq >= first seq of the batch)`: held rows, without the
    /// batch's own (already applied in a local write, or re-pushed).
    var notThisBatch: String { "NOT (origin = ? AND seq >= ?)" }
    var batchArgs: [any SQLValue] { [node.rawValue, batch.first?.seq ?? Int64.max] }

    /// The order's payments by `method`: held, plus earlier in the batch.
    func paymentTotal(order: String, method: String, before index: Int) throws -> Int64 {
        let held: Int64 =
            try reader.rows(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE order_id = ? AND method = ? AND \(notThisBatch)",
                [order, method] + batchArgs
            ).first?[0] ?? 0
        let inBatch = batch.prefix(index).filter {
            $0.kind == .payment && $0.fields["order"]?.stringValue == order
                && $0.fields["method"]?.stringValue == method
        }.compactMap { $0.fields["amount_cents"]?.intValue }
        return try Checked.add(
            held, try Checked.sum(inBatch, "payments of order \(order)"), "payments of order \(order)")
    }

    /// The magnitude of the debits on `order` for `account`/`reason`: held, plus earlier in the batch.
    func debitTotal(order: String, account: String, reason: String, before index: Int) throws -> Int64 {
        let held: Int64 =
            try reader.rows(
                """
                SELECT COALESCE(SUM(-delta), 0) FROM member_ledger
                WHERE ref = ? AND account = ? AND reason = ? AND delta < 0 AND \(notThisBatch)
                """,
                [order, account, reason] + batchArgs
            ).first?[0] ?? 0
        let inBatch = batch.prefix(index).filter {
            $0.kind == .memberLedger && $0.fields["ref"]?.stringValue == order
                && $0.fields["account"]?.stringValue == account
                && $0.fields["reason"]?.stringValue == reason && ($0.fields["delta"]?.intValue ?? 0) < 0
        }.compactMap { $0.fields["delta"]?.intValue.map { $0.magnitude > UInt64(Int64.max) ? Int64.max : -$0 } }
        return try Checked.add(held, try Checked.sum(inBatch, "debits on order \(order)"), "debits on order \(order)")
    }

    /// The points `order` earned (`PTS-<order>`), held or earlier in the batch.
    func pointsEarned(order: String, before index: Int) throws -> Int64 {
        if let c = batch.prefix(index).last(where: { $0.kind == .memberLedger && $0.entity == "PTS-\(order)" }) {
            return max(0, c.fields["delta"]?.intValue ?? 0)
        }
        let held: Int64? = try reader.rows("SELECT delta FROM member_ledger WHERE id = ?", ["PTS-\(order)"]).first?[0]
        return max(0, held ?? 0)
    }
}
