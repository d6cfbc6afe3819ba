import Commerce
import Replication
import Storage

/// The drawer difference above which closing a shift needs a store manager's PIN.
public struct DifferenceLimitView: Sendable, Equatable, Codable {
    /// Fen; a cash difference (over or short) strictly above it needs approval.
    public var limit_cents: Int64
    /// True when no one set it here (¥50.00).
    public var is_default: Bool
}

extension Till {
    /// ¥50.00: a difference above it is more than a miscounted note or two.
    public static let defaultDifferenceLimit = Money(cents: 5_000)
    static let differenceLimitKey = "till_difference_approval_cents"

    /// The store's drawer difference threshold (node-local, like PINs: each store sets its own).
    public func differenceLimit() throws(NodeError) -> DifferenceLimitView {
        try node.read { r in try Self.differenceLimit(r) }
    }

    /// Sets the threshold (`fenxiao till difference-limit 80.00`). Needs `manage_till`.
    public func setDifferenceLimit(_ limit: Money) throws(NodeError) -> DifferenceLimitView {
        guard limit.cents >= 0, limit.cents <= Limits.maxAmountCents else {
            throw NodeError(.invalidInput, "\(Field.amount) must be an amount in yuan, 0 or more (e.g. 50.00)")
        }
        return try node.write(.manageTill, "till.difference_limit", subject: "\(limit.cents)") { tx in
            try tx.setMeta(Self.differenceLimitKey, String(limit.cents))
            return DifferenceLimitView(limit_cents: limit.cents, is_default: false)
        }
    }

    static func differenceLimit(_ r: StoreReader) throws -> DifferenceLimitView {
        if let text = try r.meta(differenceLimitKey), let cents = Int64(text) {
            return DifferenceLimitView(limit_cents: cents, is_default: false)
        }
        return DifferenceLimitView(limit_cents: defaultDifferenceLimit.cents, is_default: true)
    }

    /// Refuses a close whose cash difference is above the threshold unless the closing user
    /// manages the till or a manager approved it (``FenxiaoNode/approved(by:)``); audits the
    /// manager's approval as `shift.close.approve`.
    func checkDifference(_ tx: inout LocalTransaction, shift: String, difference: Money) throws {
        let limit = try Self.differenceLimit(tx.reader).limit_cents
        guard difference.cents.magnitude > limit.magnitude else { return }
        guard let (_, role) = try actingUser(tx.reader) else { return }
        if role.permissions.contains(.manageTill) { return }
        let amount = Money(cents: Int64(difference.cents.magnitude))
        guard let approver = node.approver,
            let (manager, managerRole) = try node.acting(as: approver).actingUser(tx.reader),
            managerRole.permissions.contains(.manageTill)
        else {
            throw NodeError(
                .forbidden,
                "the cash difference of \(amount) is above \(Money(cents: limit)): a store manager approves it with \(Field.manager) and \(Field.managerPin)",
                field: .managerPin)
        }
        try audit(&tx, user: manager, action: "shift.close.approve", subject: shift)
    }
}
