import Replication

/// The change that creates an `order` (op `upsert`): who sold what to whom, priced, and — for
/// a member bound to a distributor — the upline snapshotted at the sale.
public struct OrderCreated: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case store, member, channel, status, coupon, warehouse, upline
        case subtotalCents = "subtotal_cents"
        case discountCents = "discount_cents"
        case totalCents = "total_cents"
        case payMethod = "pay_method"
        case createdAt = "created_at"
        case selfPurchase = "self_purchase"
        case uplineGroups = "upline_groups"
        case lineCategories = "line_categories"
        case boundByLink = "bound_by_link"
        case discounts
        case closeDays = "close_days"
    }
    public static let kind = EntityKind.order

    /// The store that took the order.
    public var store: String?
    public var member: String?
    public var channel: SalesChannel?
    /// `completed` for a counter sale, `pending` for an online order.
    public var status: OrderStatus
    public var subtotal: Money
    public var discount: Money
    public var total: Money
    public var payMethod: PaymentMethod?
    public var coupon: String?
    public var warehouse: String?
    public var createdAtMillis: Int64?
    public var upline: UplineSnapshot?
    /// The promotion link (`--via`) that bound the member to a distributor with this purchase.
    public var boundByLink: String?
    /// What each promotion took off, in fen, by source (`promotion:MJ`, `coupon:C20`), as the
    /// pricing engine's quote gave it; absent on orders sold before it was recorded.
    public var discounts: [String: Int64]?
    /// The order's after-sale period in days (`OrderClosing`), from head office's setting at
    /// the sale; nil: the order never closes.
    public var closeDays: Int64?

    public init(
        store: String?, member: String?, channel: SalesChannel?, status: OrderStatus, subtotal: Money, discount: Money,
        total: Money, payMethod: PaymentMethod?, coupon: String?, warehouse: String?, createdAtMillis: Int64?,
        upline: UplineSnapshot? = nil, boundByLink: String? = nil, discounts: [String: Int64]? = nil,
        closeDays: Int64? = nil
    ) {
        self.discounts = discounts
        self.closeDays = closeDays
        self.store = store
        self.member = member
        self.channel = channel
        self.status = status
        self.subtotal = subtotal
        self.discount = discount
        self.total = total
        self.payMethod = payMethod
        self.coupon = coupon
        self.warehouse = warehouse
        self.createdAtMillis = createdAtMillis
        self.upline = upline
        self.boundByLink = boundByLink
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        store = try f.optionalString(.store)
        member = try f.optionalString(.member)
        channel = try f.optionalChoice(.channel)
        status = try f.choice(.status)
        subtotal = Money(cents: try f.nonNegative(.subtotalCents))
        discount = Money(cents: try f.nonNegative(.discountCents))
        total = Money(cents: try f.nonNegative(.totalCents))
        payMethod = try f.optionalChoice(.payMethod)
        coupon = try f.optionalString(.coupon)
        warehouse = try f.optionalString(.warehouse)
        createdAtMillis = try f.optionalInt(.createdAt)
        upline = try UplineSnapshot(reading: f)
        boundByLink = try f.optionalString(.boundByLink)
        closeDays = try f.optionalInt(.closeDays)
        if let days = closeDays, !OrderClosing.daysRange.contains(days) {
            throw f.fail(
                .closeDays, "must be \(OrderClosing.daysRange.lowerBound)…\(OrderClosing.daysRange.upperBound) days")
        }
        if let value = f.value(.discounts), !value.isNull {
            guard let object = value.objectValue else { throw f.fail(.discounts, "must map sources to fen") }
            var discounts: [String: Int64] = [:]
            for (source, cents) in object {
                guard let cents = cents.intValue, cents >= 0 else {
                    throw f.fail(.discounts, "must map sources to fen")
                }
                discounts[source] = cents
            }
            self.discounts = discounts
        }
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.store, store)
        f.setOrNull(.member, member)
        f.set(.channel, channel)
        f.set(.status, status)
        f.set(.subtotalCents, subtotal.cents)
        f.set(.discountCents, discount.cents)
        f.set(.totalCents, total.cents)
        f.setOrNull(.payMethod, payMethod)
        f.setOrNull(.coupon, coupon)
        f.set(.warehouse, warehouse)
        f.set(.createdAt, createdAtMillis)
        upline?.write(to: &f)
        f.set(.boundByLink, boundByLink)
        f.set(.discounts, discounts.map { JSONValue.object($0.mapValues(JSONValue.int)) })
        f.set(.closeDays, closeDays)
    }
}

/// The distributor chain of an order's member as it was at the sale, with each distributor's
/// group and each line's category, so commissions never depend on later edits.
public struct UplineSnapshot: Sendable, Equatable {
    /// Level 1 first.
    public var chain: [String]
    /// The buyer is the level-1 distributor.
    public var selfPurchase: Bool
    /// Each chain member's group (nil for none), in chain order.
    public var groups: [String?]
    /// Each SKU's category (nil for none).
    public var lineCategories: [String: String?]

    public init(chain: [String], selfPurchase: Bool, groups: [String?], lineCategories: [String: String?]) {
        self.chain = chain
        self.selfPurchase = selfPurchase
        self.groups = groups
        self.lineCategories = lineCategories
    }

    /// Nil when the order has no upline.
    init?(reading f: PayloadReader<OrderCreated.Field>) throws(PayloadError) {
        guard let value = f.value(.upline) else { return nil }
        guard let items = value.arrayValue else { throw f.fail(.upline, "must be an array of distributor ids") }
        var chain: [String] = []
        for item in items {
            guard let id = item.stringValue else { throw f.fail(.upline, "must be an array of distributor ids") }
            chain.append(id)
        }
        self.chain = chain
        selfPurchase = try f.optionalBool(.selfPurchase) ?? false
        groups = []
        for item in f.value(.uplineGroups)?.arrayValue ?? [] {
            guard item.isNull || item.stringValue != nil else {
                throw f.fail(.uplineGroups, "must hold group ids or null")
            }
            groups.append(item.stringValue)
        }
        lineCategories = [:]
        for (sku, category) in f.value(.lineCategories)?.objectValue ?? [:] {
            guard category.isNull || category.stringValue != nil else {
                throw f.fail(.lineCategories, "must map SKUs to category ids or null")
            }
            lineCategories[sku] = .some(category.stringValue)
        }
    }

    func write(to f: inout PayloadWriter<OrderCreated.Field>) {
        f.set(.upline, JSONValue.array(chain.map(JSONValue.string)))
        f.set(.selfPurchase, selfPurchase)
        f.set(.uplineGroups, JSONValue.array(groups.map { $0.map(JSONValue.string) ?? .null }))
        f.set(.lineCategories, JSONValue.object(lineCategories.mapValues { $0.map(JSONValue.string) ?? .null }))
    }
}
