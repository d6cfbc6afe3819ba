import Commerce
import Replication

/// An order as shown to users and in `--json` output.
public struct OrderView: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var line: Int
        public var sku: String
        public var name: String
        public var qty: Int64
        public var unit_cents: Int64
        public var discount_cents: Int64
        public var amount_cents: Int64
        /// Units of this line refunded so far (by `order refund --line`).
        public var refunded_qty: Int64 = 0
        /// Money of this line refunded so far (by `order refund --line`).
        public var refunded_cents: Int64 = 0
    }
    public struct Payment: Sendable, Equatable, Codable {
        public var id: String
        public var method: String
        public var amount_cents: Int64
        /// Card or wallet transaction reference; masked for roles without `view_contacts`.
        public var reference: String?
        /// Cash handed over (cash at a till); the change due is this minus the amount.
        public var tendered_cents: Int64? = nil
        /// The till shift it was taken in.
        public var shift: String? = nil
    }
    public struct Refund: Sendable, Equatable, Codable {
        /// How much of a refund went back by one method (and to which payment).
        public struct Part: Sendable, Equatable, Codable {
            public var method: String
            public var payment: String?
            public var amount_cents: Int64
        }
        public var id: String
        public var amount_cents: Int64
        public var reason: String?
        public var origin: String
        /// The method the refund went back by (`mixed` when split across methods).
        public var method: String? = nil
        /// The split by method: cash, card, wallet, qrpay, stored (stored value), points.
        public var parts: [Part] = []
    }

    public var id: String
    public var store: String?
    public var member: String?
    public var channel: String?
    public var status: String
    public var subtotal_cents: Int64
    public var discount_cents: Int64
    public var total_cents: Int64
    public var paid_cents: Int64
    public var refunded_cents: Int64
    public var pay_method: String?
    public var coupon: String?
    public var warehouse: String?
    public var carrier: String?
    public var tracking: String?
    public var created_at: Int64?
    public var lines: [Line]
    public var payments: [Payment]
    public var refunds: [Refund]
    /// When the order's after-sale period ends (wall ms): no refund, payment or status change
    /// after it (`OrderClosing`); nil when it never closes.
    public var closes_at: Int64? = nil
}

/// A conflict record with its current status, as listed by `fenxiao conflicts`.
public struct ConflictView: Sendable, Equatable, Codable {
    public var id: String
    public var kind: String
    public var rule: String
    public var subject: String
    public var winner: String?
    public var loser: String
    public var amount: Int64
    public var unit: String
    public var detail: String
    public var scope: String
    public var created_hlc: Int64
    public var status: String
    public var note: String?
    /// What happened, as data (nil for a record derived before schema 12: its `detail` stands).
    public var facts: ConflictFacts?

    /// The record as a sentence in `language`, rendered from its facts.
    public func text(in language: Language) -> String {
        facts.map { ConflictText.sentence($0, in: language) } ?? detail
    }
}

/// Stock of one SKU in one warehouse.
public struct StockLevelView: Sendable, Equatable, Codable {
    public var sku: String
    public var warehouse: String
    public var on_hand: Int64
    public var reserved: Int64
    public var available: Int64
}

/// One in/out record of the stock ledger.
public struct StockMoveView: Sendable, Equatable, Codable {
    public var id: String
    public var sku: String
    public var warehouse: String
    public var reason: String
    public var qty: Int64
    public var ref: String?
    public var origin: String
    public var hlc: Int64
}
