/// What a conflict record is about, as data: one case per merge rule, with the values a
/// sentence about it needs. Faces render it in the reader's language (`ConflictText` in
/// Commerce); nothing stores the sentence as the record's meaning.
public enum ConflictFacts: Sendable, Hashable, Codable {
    /// A payment took an order's payments above its total (paid at two places offline).
    case paidTwice(payment: String, at: String, order: String, excessCents: Int64, totalCents: Int64)
    /// A cancel lost to a payment, shipment or completion recorded elsewhere.
    case factBeatsCancel(order: String, cancelledAt: String, factAt: String, fact: String)
    /// A refund took an order's refunds above what was paid.
    case refundExceedsPaid(refund: String, at: String, order: String, excessCents: Int64, paidCents: Int64)
    /// A refund took one line above its units or money sold.
    case lineRefundExceedsSold(
        refund: String, at: String, order: String, line: Int, extraUnits: Int64, extraCents: Int64, soldUnits: Int64,
        paidCents: Int64)
    /// A transfer arrived with a different quantity than it was shipped with.
    case transferDiscrepancy(transfer: String, sku: String, shipped: Int64, received: Int64)
    /// A sale or move took a shelf below zero once every node's sales were merged.
    case oversold(move: String, reason: String, sku: String, warehouse: String, shortfall: Int64)
    /// An online reservation no longer fits after counter sales were merged.
    case allocationDisplaced(move: String, sku: String, warehouse: String, quantity: Int64)
    /// One field was edited at two nodes that had not seen each other's edit.
    case concurrentEdit(field: String, at: String, winnerAt: String, kept: String, overrode: String)
    /// A debit spent points or stored value that other stores had already spent offline.
    case overdraft(entry: String, at: String, member: String, account: String, spent: Int64, shortfall: Int64)
    /// A unique key (single-use coupon, daily check-in…) was claimed twice.
    case duplicateClaim(
        key: String, winner: String?, winnerAt: String?, claimant: String, at: String, leakedCents: Int64)
    /// A refund gave back points of an order that other refunds had already given back (two
    /// nodes refunded it offline); the excess was not credited.
    case pointsReturnExceedsUsed(
        entry: String, at: String, order: String, member: String, writtenPoints: Int64, excessPoints: Int64,
        usedPoints: Int64)
    /// A refund clawed back earned points of an order that other refunds had already clawed
    /// back; the excess was not taken.
    case pointsClawbackExceedsEarned(
        entry: String, at: String, order: String, member: String, writtenPoints: Int64, excessPoints: Int64,
        earnedPoints: Int64)

    /// The merge rule that decided (the record's `rule` column).
    public var rule: String {
        switch self {
        case .paidTwice: return "paid_twice"
        case .factBeatsCancel: return "fact_beats_cancel"
        case .refundExceedsPaid: return "refund_exceeds_paid"
        case .lineRefundExceedsSold: return "line_refund_exceeds_sold"
        case .transferDiscrepancy: return "transfer_discrepancy"
        case .oversold: return "oversold"
        case .allocationDisplaced: return "allocation_displaced"
        case .concurrentEdit: return "concurrent_edit"
        case .overdraft: return "overdraft"
        case .duplicateClaim: return "duplicate_claim"
        case .pointsReturnExceedsUsed: return "points_return_exceeds_used"
        case .pointsClawbackExceedsEarned: return "points_clawback_exceeds_earned"
        }
    }

    /// The entity family (the record's `kind` column).
    public var family: String {
        switch self {
        case .paidTwice, .factBeatsCancel, .refundExceedsPaid, .lineRefundExceedsSold: return "order"
        case .transferDiscrepancy, .oversold, .allocationDisplaced: return "stock"
        case .concurrentEdit: return "register"
        case .overdraft, .pointsReturnExceedsUsed, .pointsClawbackExceedsEarned: return "ledger"
        case .duplicateClaim: return "claim"
        }
    }
}
