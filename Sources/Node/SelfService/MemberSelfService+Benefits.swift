import Commerce
import Replication
import Storage

/// Today's check-in of a member, in China Standard Time days (as ``Members/checkin(member:)``
/// counts them).
public struct CheckinState: Sendable, Equatable {
    /// Today, `YYYY-MM-DD` in Asia/Shanghai.
    public var today: String
    public var checkedIn: Bool
    /// Consecutive days checked in, up to today (or up to yesterday while today is still open).
    public var streak: Int
    /// Points a check-in gives (``Members/checkinPoints``).
    public var reward: Int64
    /// Points available now.
    public var points: Int64
}

/// An item of the points catalog with what the member sees of it.
public struct PointsOffer: Sendable, Equatable {
    /// `sku:<code>` or `coupon:<code>`, as ``Members/exchangePoints(member:item:)`` takes it.
    public var item: String
    /// The SKU's name or the coupon's code.
    public var name: String
    public var points: Int64
    /// The coupon, for a `coupon:` item.
    public var coupon: Coupon?
}

/// The member's points page: balance and expiry, the rules, history and the points catalog.
public struct MemberPoints: Sendable, Equatable {
    public var points: PointsView
    public var settings: PointsSettings
    /// `expiring_soon` points expire by this Shanghai day (today + 30 days); nil when points never expire.
    public var expiringBy: String?
    /// The same entries as `fenxiao points history <member>`.
    public var history: [PointsEntry]
    public var catalog: [PointsOffer]
}

/// A coupon the member may claim themself, with its definition.
public struct ClaimableCoupon: Sendable, Equatable {
    public var coupon: Coupon
}

/// The member's coupons page: what they may claim and what they hold.
public struct MemberCoupons: Sendable, Equatable {
    public var claimable: [ClaimableCoupon]
    /// The member's held coupons (``Marketing/coupons(heldBy:)``) with each one's definition.
    public var held: [(held: HeldCoupon, coupon: Coupon?)]

    public static func == (a: MemberCoupons, b: MemberCoupons) -> Bool {
        a.claimable == b.claimable && a.held.map(\.held) == b.held.map(\.held)
            && a.held.map(\.coupon) == b.held.map(\.coupon)
    }
}

/// The member's level, what counts towards the next one and how far they are.
public struct MemberLevelProgress: Sendable, Equatable {
    public var level: MemberLevel?
    /// The next level up (nil at the top or when head office defines none).
    public var next: MemberLevel?
    /// Lifetime points earned (what `min_points` counts).
    public var lifetimePoints: Int64
    /// Lifetime spend, paid minus refunded (what `min_spend` counts).
    public var lifetimeSpend: Money
    /// Every level, lowest first.
    public var levels: [MemberLevel]
}

/// The member's stored value: balance, entries and the top-up bonus tiers (top-ups happen at a
/// store's counter).
public struct MemberWallet: Sendable, Equatable {
    public var balance: Money
    /// The same entries as the console's member page (``Members/walletHistory(of:limit:)``).
    public var history: [WalletEntry]
    public var bonuses: [TopupBonus]
}

/// The form fields the benefits' refusals name.
private let productField: Field = "product"
private let itemField: Field = "item"

extension MemberSelfService {
    /// The member's check-in state now: today's Shanghai day, whether it is taken, the streak.
    public func checkinState() throws(NodeError) -> CheckinState {
        let now = node.store.wallNow()
        let member = self.member
        let points = try node.members.points(of: member).available
        return try node.read { r in
            let days = Set(
                try r.claims(withPrefix: "checkin:\(member):").map { $0.key.dropFirst("checkin:\(member):".count) })
            let today = NodeCalendar.shanghaiDay(now)
            let checkedIn = days.contains(Substring(today))
            var streak = 0
            var back: Int64 = checkedIn ? 0 : 1
            while streak < 3660, days.contains(Substring(NodeCalendar.shanghaiDay(now - back * 86_400_000))) {
                streak += 1
                back += 1
            }
            return CheckinState(
                today: today, checkedIn: checkedIn, streak: streak, reward: Members.checkinPoints, points: points)
        }
    }

    /// Checks the member in for today; `done` false when today was already taken (nothing
    /// changes: a repeated click, a second tab, a check-in at a store earlier today).
    public func checkin() throws(NodeError) -> (done: Bool, state: CheckinState) {
        guard try !checkinState().checkedIn else { return (false, try checkinState()) }
        do throws(NodeError) {
            _ = try node.members.checkin(member: member)
        } catch {
            // Checked in meanwhile (another tab, a store): the same answer as above.
            guard error.code == .conflict, try checkinState().checkedIn else { throw error }
            return (false, try checkinState())
        }
        return (true, try checkinState())
    }

    /// The member's points page: balance with expiry, rules, history and the points catalog.
    public func pointsPage(limit: Int = 100) throws(NodeError) -> MemberPoints {
        let points = try node.members.points(of: member)
        let settings = try node.members.pointsSettings()
        let history = try node.members.pointsHistory(of: member, limit: limit)
        let catalog = try node.members.pointsCatalog()
        let now = node.store.wallNow()
        let offers = try node.read { r in
            try catalog.map { entry -> PointsOffer in
                if entry.item.hasPrefix("sku:") {
                    let sku = String(entry.item.dropFirst(4))
                    let name = (try? Catalog.requireSKU(sku, r).name) ?? sku
                    return PointsOffer(item: entry.item, name: name, points: entry.points, coupon: nil)
                }
                let code = String(entry.item.dropFirst(7))
                let coupon = try r.register(.coupon, code).flatMap { Coupon(code: code, fields: $0) }
                return PointsOffer(item: entry.item, name: code, points: entry.points, coupon: coupon)
            }
        }
        return MemberPoints(
            points: points, settings: settings,
            expiringBy: settings.expiry_days == nil ? nil : NodeCalendar.shanghaiDay(now + 30 * 86_400_000),
            history: history, catalog: offers)
    }

    /// Exchanges the member's points for a catalog item (refused when they have too few).
    public func exchangePoints(item: String) throws(NodeError) -> PointsView {
        guard item.utf8.count <= 80, item.hasPrefix("sku:") || item.hasPrefix("coupon:") else {
            throw NodeError(.invalidInput, "\(itemField) must be sku:<code> or coupon:<code> of the points catalog")
        }
        return try node.members.exchangePoints(member: member, item: item)
    }

    /// Points for sharing `product` (a product of the catalog), within the daily limit of the
    /// points rules (``Members/share(member:what:)``).
    public func share(product: String) throws(NodeError) -> (points: PointsView, reward: Int64) {
        guard SKUCode(product) != nil else {
            throw NodeError(.invalidInput, "\(productField) must be a product code of the catalog")
        }
        _ = try node.catalog.product(product)
        let before = try node.members.points(of: member).available
        let after = try node.members.share(member: member, what: product)
        return (after, after.available - before)
    }

    /// Coupons a member may claim themself: holders-only coupons (public ones are used by their
    /// code at checkout, with nothing to claim) that have started and not ended, that are not
    /// given out by other means (at checkout by spend, for points in the points catalog, as a
    /// level's birthday gift), whose level audience admits the member, and that they do not hold yet.
    /// Each member claims each one once (``Marketing/claimCoupon(code:member:)``).
    public func coupons() throws(NodeError) -> MemberCoupons {
        let held = try node.marketing.coupons(heldBy: member)
        let level = try node.members.level(of: member)
        let levels = try node.members.levels()
        let pointsItems = Set(try node.members.pointsCatalog().map(\.item))
        let now = node.store.wallNow()
        let heldCodes = Set(held.map(\.code))
        let birthday = Set(levels.compactMap(\.birthday_coupon))
        let (claimable, definitions) = try node.read { r in
            var claimable: [ClaimableCoupon] = []
            var definitions: [String: Coupon] = [:]
            for c in try r.registers(.coupon) {
                guard let coupon = Coupon(code: c.id, fields: c.fields) else { continue }
                definitions[c.id] = coupon
                let register = try CouponRegister(fields: c.fields)
                guard register.holdersOnly == true, register.giveOnSpend == nil, coupon.isValid(at: now),
                    !pointsItems.contains("coupon:\(c.id)"), !birthday.contains(c.id), !heldCodes.contains(c.id),
                    coupon.audience.memberLevels.isEmpty
                        || level.map({ coupon.audience.memberLevels.contains($0.id) }) == true
                else { continue }
                claimable.append(ClaimableCoupon(coupon: coupon))
            }
            return (claimable.sorted { $0.coupon.code < $1.coupon.code }, definitions)
        }
        return MemberCoupons(claimable: claimable, held: held.map { ($0, definitions[$0.code]) })
    }

    /// Claims a coupon of ``coupons()``'s claimable list; a second claim of the same coupon is
    /// refused by the use case (one per member), and a coupon not on the list is not found.
    public func claimCoupon(code: String) throws(NodeError) -> CouponUsage {
        guard SKUCode(code) != nil else {
            throw NodeError(.invalidInput, "\(Field.coupon) must be a coupon code (letters, digits, '-' or '_')")
        }
        let page = try coupons()
        if page.held.contains(where: { $0.held.code == code }) {
            throw NodeError(.conflict, "member \(member) already holds coupon \(code)")
        }
        guard page.claimable.contains(where: { $0.coupon.code == code }) else {
            throw NodeError(.notFound, "coupon \(code) is not one you can claim")
        }
        return try node.marketing.claimCoupon(code: code, member: member)
    }

    /// The member's level, its benefits and their progress towards the next one.
    public func levelProgress() throws(NodeError) -> MemberLevelProgress {
        let level = try node.members.level(of: member)
        let levels = try node.members.levels()
        let member = self.member
        let (points, spend) = try node.read { r in
            (try Members.lifetimePoints(of: member, r), try Members.lifetimeSpend(of: member, r))
        }
        let next: MemberLevel?
        if let level, let index = levels.firstIndex(where: { $0.id == level.id }) {
            next = levels.dropFirst(index + 1).first
        } else {
            next = levels.first
        }
        return MemberLevelProgress(
            level: level, next: next, lifetimePoints: points, lifetimeSpend: Money(cents: spend), levels: levels)
    }

    /// The member's stored value, its entries (newest first) and the top-up bonus tiers.
    public func wallet(limit: Int = 100) throws(NodeError) -> MemberWallet {
        MemberWallet(
            balance: try node.members.mallMember(member).wallet,
            history: try node.members.walletHistory(of: member, limit: limit),
            bonuses: try node.members.topupBonuses())
    }
}
