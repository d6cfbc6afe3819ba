import ArgumentParser
import Commerce
import Foundation
import Node
import Replication
import Storage

func parseYuan(_ text: String) -> Int64? { Money(parsing: text)?.cents }

/// Options shared by promotions and coupons: validity window and audience.
struct Conditions: ParsableArguments {
    @Option(name: .customLong("sku"), help: "Limit to these SKUs (repeat).") var skus: [String] = []
    @Option(name: .customLong("category"), help: "Limit to these categories (repeat; Drinks covers Drinks/Tea).")
    var categories: [String] = []
    @Option(name: .customLong("level"), help: "Only for these member levels (repeat).") var levels: [String] = []
    @Option(name: .customLong("store"), help: "Only at these stores (repeat).") var stores: [String] = []
    @Option(name: .customLong("channel"), help: "Only on this channel: pos or online (repeat).") var channels:
        [SalesChannel] = []
    @Flag(name: .customLong("members-only")) var membersOnly = false
    @Option(help: "Start, ISO 8601 (2026-12-12T00:00:00+08:00) or ms since the epoch.") var starts: Instant?
    @Option(help: "End (exclusive), same formats.") var ends: Instant?

    var scope: ItemScope { ItemScope(skus: skus, categories: categories) }

    var audience: Audience {
        Audience(memberLevels: levels, stores: stores, channels: channels, membersOnly: membersOnly)
    }

    /// The validity window, in ms (read once the node, and so its UTC offset, is open).
    var window: (Int64?, Int64?) { (starts?.millis, ends?.millis) }
}

/// Milliseconds since the epoch from `1764057600000`, an ISO 8601 date-time
/// (`2026-11-01T09:30:00+08:00`) or a plain date (`2026-11-01`), which means midnight at the
/// start of that day in the node's time zone (`init --utc-offset`, +08:00 by default). Commands
/// open their node before reading times, so the offset is the node's.
func parseInstant(_ text: String) throws -> Int64 {
    try parseInstant(text, offsetMillis: CommonOptions.offsetMillis)
}

/// `parseInstant(_:)` at an explicit UTC offset.
func parseInstant(_ text: String, offsetMillis: Int64) throws -> Int64 {
    if let ms = Int64(text) { return ms }
    if let day = plainDay(text) {
        return day * 86_400_000 - offsetMillis
    }
    let f = ISO8601DateFormatter()
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = f.date(from: text) ?? fractional.date(from: text) else {
        throw ValidationError(
            "'\(text)' is not a date like 2026-11-01, a date-time like 2026-12-12T00:00:00+08:00, or ms since the epoch"
        )
    }
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date in the proleptic Gregorian calendar, or nil
/// when `text` is not such a date (a month 1–12, a day that exists in that month).
func plainDay(_ text: String) -> Int64? { CivilDate(text: text)?.days }

struct CouponCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupon", abstract: "Coupons: define (central), issue, claim, list with usage.",
        subcommands: [Define.self, Issue.self, Claim.self, List.self])

    struct Issue: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a holders-only coupon to members or a whole member group.")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option(name: .customLong("member"), help: "A member (repeat).") var members: [String] = []
        @Option(help: "Every member of this group.") var group: String?
        func run(on node: FenxiaoNode) throws -> CouponIssue {
            try node.marketing.issueCoupon(code: code, members: members, group: group)
        }
        func human(_ r: CouponIssue) -> String {
            "coupon \(code) issued to \(r.issued.count) members\(r.skipped.isEmpty ? "" : ", \(r.skipped.count) already held it")"
        }
    }

    struct Claim: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "claim", abstract: "A member claims a holders-only coupon (once).")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option var member: String
        func run(on node: FenxiaoNode) throws -> CouponUsage {
            try node.marketing.claimCoupon(code: code, member: member)
        }
        func human(_ u: CouponUsage) -> String { "\(member) holds coupon \(code)" }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Coupons with their usage: used, leaked (offline double use), expired.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<CouponUsage> {
            Listing(key: "coupons", items: try node.marketing.coupons())
        }
        func human(_ cs: Listing<CouponUsage>) -> String {
            cs.items.map {
                "\($0.code)  \($0.status)\($0.holders_only ? "  issued \($0.issued) (claimed \($0.claimed))" : "")  used \($0.used)  expired \($0.expired)  leaked \($0.leaked) (\(yuan($0.leaked_cents)))"
            }.joined(separator: "\n")
        }
    }

    struct Define: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "define",
            abstract:
                "Define a coupon: --amount Y | --percent P [--cap Y] | --free-sku S [--units N] | --free-shipping.")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option(help: "Amount off in yuan.") var amount: Money?
        @Option(help: "Percent off (1–99).") var percent: Int64?
        @Option(help: "Cap of a percent coupon, in yuan.") var cap: Money?
        @Option(name: .customLong("free-sku")) var freeSKU: String?
        @Option var units: Int64 = 1
        @Flag(name: .customLong("free-shipping")) var freeShipping = false
        @Option(name: .customLong("min-spend"), help: "Minimum spend in yuan.") var minSpend: Money?
        @Flag(name: .customLong("multi-use"), help: "Allow the code to be used more than once.") var multiUse = false
        @Flag(
            name: .customLong("holders-only"),
            help: "Only members it was issued to, claimed by or given to use it, once each.") var holdersOnly = false
        @Option(
            name: .customLong("give-on-spend"),
            help: "Give it at checkout to members whose order reaches this many yuan (with --holders-only).")
        var giveOnSpend: Money?
        @OptionGroup var conditions: Conditions

        func validate() throws {
            let kinds = [amount != nil, percent != nil, freeSKU != nil, freeShipping].filter { $0 }.count
            guard kinds == 1 else {
                throw ValidationError("give exactly one of --amount, --percent, --free-sku, --free-shipping")
            }
            if let amount, amount.cents <= 0 { throw ValidationError("--amount must be positive") }
            if let percent, !(1...99).contains(percent) { throw ValidationError("--percent must be 1…99") }
            if freeSKU != nil, units < 1 { throw ValidationError("--units must be at least 1") }
            for (money, flag) in [(cap, "--cap"), (minSpend, "--min-spend")] where (money?.cents ?? 0) < 0 {
                throw ValidationError("\(flag) must not be negative")
            }
        }

        func run(on node: FenxiaoNode) throws -> JSONValue {
            let kind: Coupon.Kind
            if let amount {
                kind = .amountOff(cents: amount.cents)
            } else if let percent {
                kind = .percentOff(percent: percent, capCents: cap?.cents)
            } else if let freeSKU {
                kind = .freeItem(sku: freeSKU, maxUnits: units)
            } else {
                kind = .freeShipping
            }
            let (starts, ends) = conditions.window
            let coupon = Coupon(
                code: code, kind: kind, minSpendCents: minSpend?.cents ?? 0, scope: conditions.scope,
                audience: conditions.audience,
                startsAt: starts, endsAt: ends, singleUse: !multiUse)
            return JSONValue.object(
                try node.marketing.define(coupon, holdersOnly: holdersOnly, giveOnSpendCents: giveOnSpend?.cents).fields
            )
        }
        func human(_ f: JSONValue) -> String { "coupon \(code) defined\(multiUse ? " (multi-use)" : "")" }
    }
}

struct PromoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promo", abstract: "Promotions (published at central).",
        subcommands: [Add.self, List.self, End.self])

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: """
                Publish a promotion: --spend-save 100:10,200:25 (满减) | --percent 10 | --flash-percent 30 | --flash-price 9.90 \
                | --buy 2 --get 1 | --gift-sku S --gift-threshold 200 | --member-level GOLD --level-percent 5; \
                scope and audience with --sku, --category, --level, --store, --channel; window with --starts/--ends.
                """)
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String
        @Option(name: .customLong("spend-save")) var spendSave: String?
        @Option var percent: Int64?
        @Option(name: .customLong("flash-percent")) var flashPercent: Int64?
        @Option(name: .customLong("flash-price"), help: "Flash-sale unit price in yuan.") var flashPrice: Money?
        @Option var buy: Int64?
        @Option var get: Int64?
        @Option(name: .customLong("gift-sku")) var giftSKU: String?
        @Option(name: .customLong("gift-threshold"), help: "Spend in yuan that earns the gift.") var giftThreshold:
            Money?
        @Option(name: .customLong("member-level")) var memberLevel: [String] = []
        @Option(name: .customLong("level-percent")) var levelPercent: Int64?
        @Flag(help: "When it applies, no coupon can be used.") var exclusive = false
        @OptionGroup var conditions: Conditions

        func validate() throws {
            for (value, flag) in [
                (percent, "--percent"), (flashPercent, "--flash-percent"), (levelPercent, "--level-percent"),
            ] {
                if let value, !(1...99).contains(value) { throw ValidationError("\(flag) must be 1…99") }
            }
            if let flashPrice, flashPrice.cents < 0 { throw ValidationError("--flash-price must be an amount in yuan") }
            if let giftThreshold, giftThreshold.cents <= 0 {
                throw ValidationError("--gift-threshold must be an amount in yuan")
            }
            if let buy, let get, buy < 1 || get < 1 { throw ValidationError("--buy and --get must be at least 1") }
        }

        func run(on node: FenxiaoNode) throws -> PromotionView {
            if let spendSave, percent == nil {
                return try node.marketing.addSpendSavePromotion(
                    id: id, name: name, tiers: Promotion.Tier.list(parsing: spendSave))
            }
            let rule: Promotion.Rule
            if let percent {
                rule = .percentOff(percent: percent, skus: conditions.skus)
            } else if let flashPercent {
                rule = .flashSale(scope: conditions.scope, price: .percentOff(flashPercent))
            } else if let flashPrice {
                rule = .flashSale(scope: conditions.scope, price: .unitPrice(cents: flashPrice.cents))
            } else if let buy, let get {
                rule = .buyNGetM(buy: buy, get: get, scope: conditions.scope)
            } else if let giftSKU, let giftThreshold {
                let giftName = try node.catalog.list().first { $0.sku == giftSKU }?.name ?? giftSKU
                rule = .gift(sku: giftSKU, name: giftName, thresholdCents: giftThreshold.cents, scope: conditions.scope)
            } else if !memberLevel.isEmpty, let levelPercent {
                rule = .memberPrice(levels: memberLevel, scope: conditions.scope, price: .percentOff(levelPercent))
            } else {
                throw ValidationError(
                    "give one rule: --spend-save, --percent, --flash-percent/--flash-price, --buy/--get, --gift-sku/--gift-threshold or --member-level/--level-percent"
                )
            }
            let (starts, ends) = conditions.window
            let promotion = Promotion(
                id: id, name: name, rule: rule, startsAt: starts, endsAt: ends, exclusive: exclusive,
                audience: conditions.audience)
            return try node.marketing.publish(promotion)
        }
        func human(_ p: PromotionView) -> String {
            "promotion \(p.id) \(p.name): \(p.rule)\(spendSave != nil && percent == nil ? " \(p.detail)" : "")"
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List promotions.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<PromotionView> {
            Listing(key: "promotions", items: try node.marketing.promotions())
        }
        func human(_ ps: Listing<PromotionView>) -> String {
            ps.items.map { "\($0.id)  \($0.name)  \($0.rule)  \($0.detail)" }.joined(separator: "\n")
        }
    }

    struct End: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: "End a promotion now.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run(on node: FenxiaoNode) throws -> PromotionView { try node.marketing.endPromotion(id: id) }
        func human(_ p: PromotionView) -> String { "promotion \(p.id) ended" }
    }
}

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Conflict records: what the merge decided against someone's intent.",
        subcommands: [List.self, Resolve.self], defaultSubcommand: List.self)

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List conflict records.")
        @OptionGroup var common: CommonOptions
        @Option(help: "open or resolved.") var status: ConflictNoteRegister.Status?
        @Option(help: "Language of each record's sentence: en or zh (中文).") var lang: Language = .english
        func run(on node: FenxiaoNode) throws -> Listing<ConflictView> {
            Listing(key: "conflicts", items: try node.sync.conflicts(status: status))
        }
        func human(_ cs: Listing<ConflictView>) -> String {
            cs.items.isEmpty
                ? (lang == .chinese ? "没有冲突记录" : "no conflicts")
                : cs.items.map { c in
                    "[\(c.status)] \(c.rule)  \(c.subject)\n    \(c.text(in: lang))"
                        + "\(c.note.map { "\n    note: \($0)" } ?? "")\n    id: \(c.id)"
                }.joined(separator: "\n")
        }
    }

    struct Resolve: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve", abstract: "Close a conflict with a note.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option var note: String
        func run(on node: FenxiaoNode) throws -> ConflictView { try node.sync.resolveConflict(id: id, note: note) }
        func human(_ c: ConflictView) -> String { "resolved \(c.id)" }
    }
}
