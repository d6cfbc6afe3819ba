import ArgumentParser
import Commerce
import Foundation
import Node
import Replication

func parseYuan(_ text: String) -> Int64? { Money(parsing: text)?.cents }

/// Options shared by promotions and coupons: validity window and audience.
struct Conditions: ParsableArguments {
    @Option(name: .customLong("sku"), help: "Limit to these SKUs (repeat).") var skus: [String] = []
    @Option(name: .customLong("category"), help: "Limit to these categories (repeat; Drinks covers Drinks/Tea).") var categories: [String] = []
    @Option(name: .customLong("level"), help: "Only for these member levels (repeat).") var levels: [String] = []
    @Option(name: .customLong("store"), help: "Only at these stores (repeat).") var stores: [String] = []
    @Option(name: .customLong("channel"), help: "Only on this channel: pos or online (repeat).") var channels: [String] = []
    @Flag(name: .customLong("members-only")) var membersOnly = false
    @Option(help: "Start, ISO 8601 (2026-12-12T00:00:00+08:00) or ms since the epoch.") var starts: String?
    @Option(help: "End (exclusive), same formats.") var ends: String?

    var scope: ItemScope { ItemScope(skus: skus, categories: categories) }

    func audience() throws -> Audience {
        let chans = try channels.map { c -> SalesChannel in
            guard let ch = SalesChannel(rawValue: c) else { throw ValidationError("--channel must be pos or online") }
            return ch
        }
        return Audience(memberLevels: levels, stores: stores, channels: chans, membersOnly: membersOnly)
    }

    func window() throws -> (Int64?, Int64?) { (try starts.map(parseInstant), try ends.map(parseInstant)) }
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
            "'\(text)' is not a date like 2026-11-01, a date-time like 2026-12-12T00:00:00+08:00, or ms since the epoch")
    }
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date in the proleptic Gregorian calendar, or nil
/// when `text` is not such a date (a month 1–12, a day that exists in that month).
func plainDay(_ text: String) -> Int64? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]), (1...12).contains(m)
    else { return nil }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard (1...lengths[Int(m - 1)]).contains(d) else { return nil }
    // Days from civil (Howard Hinnant's algorithm).
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

struct CouponCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupon", abstract: "Coupons: define (central), issue, claim, list with usage.",
        subcommands: [Define.self, Issue.self, Claim.self, List.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a holders-only coupon to members or a whole member group.")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option(name: .customLong("member"), help: "A member (repeat).") var members: [String] = []
        @Option(help: "Every member of this group.") var group: String?
        func run() throws {
            let node = try common.openNode()
            let r = try attempt { try node.issueCoupon(code: code, members: members, group: group) }
            common.emit(r, human: "coupon \(code) issued to \(r.issued.count) members\(r.skipped.isEmpty ? "" : ", \(r.skipped.count) already held it")")
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member claims a holders-only coupon (once).")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option var member: String
        func run() throws {
            let node = try common.openNode()
            let u = try attempt { try node.claimCoupon(code: code, member: member) }
            common.emit(u, human: "\(member) holds coupon \(code)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Coupons with their usage: used, leaked (offline double use), expired.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let cs = try attempt { try node.coupons() }
            common.emit(
                Listing(key: "coupons", items: cs),
                human: cs.map {
                    "\($0.code)  \($0.status)\($0.holders_only ? "  issued \($0.issued) (claimed \($0.claimed))" : "")  used \($0.used)  expired \($0.expired)  leaked \($0.leaked) (\(yuan($0.leaked_cents)))"
                }.joined(separator: "\n"))
        }
    }

    struct Define: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define a coupon: --amount Y | --percent P [--cap Y] | --free-sku S [--units N] | --free-shipping.")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option(help: "Amount off in yuan.") var amount: String?
        @Option(help: "Percent off (1–99).") var percent: Int64?
        @Option(help: "Cap of a percent coupon, in yuan.") var cap: String?
        @Option(name: .customLong("free-sku")) var freeSKU: String?
        @Option var units: Int64 = 1
        @Flag(name: .customLong("free-shipping")) var freeShipping = false
        @Option(name: .customLong("min-spend"), help: "Minimum spend in yuan.") var minSpend: String?
        @Flag(name: .customLong("multi-use"), help: "Allow the code to be used more than once.") var multiUse = false
        @Flag(name: .customLong("holders-only"), help: "Only members it was issued to, claimed by or given to use it, once each.") var holdersOnly = false
        @Option(name: .customLong("give-on-spend"), help: "Give it at checkout to members whose order reaches this many yuan (with --holders-only).") var giveOnSpend: String?
        @OptionGroup var conditions: Conditions

        func run() throws {
            let kinds = [amount != nil, percent != nil, freeSKU != nil, freeShipping].filter { $0 }.count
            guard kinds == 1 else { throw ValidationError("give exactly one of --amount, --percent, --free-sku, --free-shipping") }
            let node = try common.openNode()
            func cents(_ y: String, _ what: String) throws -> Int64 {
                guard let c = parseYuan(y), c >= 0 else { throw fail(NodeError(.invalidInput, "\(what) '\(y)' must be an amount in yuan")) }
                return c
            }
            let kind: Coupon.Kind
            if let amount {
                let c = try cents(amount, "amount")
                guard c > 0 else { throw fail(NodeError(.invalidInput, "amount must be positive")) }
                kind = .amountOff(cents: c)
            } else if let percent {
                guard (1...99).contains(percent) else { throw ValidationError("--percent must be 1…99") }
                kind = .percentOff(percent: percent, capCents: try cap.map { try cents($0, "cap") })
            } else if let freeSKU {
                guard units >= 1 else { throw ValidationError("--units must be at least 1") }
                kind = .freeItem(sku: freeSKU, maxUnits: units)
            } else {
                kind = .freeShipping
            }
            let (starts, ends) = try conditions.window()
            let coupon = Coupon(
                code: code, kind: kind, minSpendCents: try minSpend.map { try cents($0, "minimum spend") } ?? 0,
                scope: conditions.scope, audience: try conditions.audience(), startsAt: starts, endsAt: ends,
                singleUse: !multiUse)
            let give = try giveOnSpend.map { try cents($0, "--give-on-spend") }
            let f = try attempt { try node.define(coupon, holdersOnly: holdersOnly, giveOnSpendCents: give) }
            common.emit(JSONValue.object(f), human: "coupon \(code) defined\(multiUse ? " (multi-use)" : "")")
        }
    }
}

struct PromoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promo", abstract: "Promotions (published at central).", subcommands: [Add.self, List.self, End.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Option(name: .customLong("flash-price"), help: "Flash-sale unit price in yuan.") var flashPrice: String?
        @Option var buy: Int64?
        @Option var get: Int64?
        @Option(name: .customLong("gift-sku")) var giftSKU: String?
        @Option(name: .customLong("gift-threshold"), help: "Spend in yuan that earns the gift.") var giftThreshold: String?
        @Option(name: .customLong("member-level")) var memberLevel: [String] = []
        @Option(name: .customLong("level-percent")) var levelPercent: Int64?
        @Flag(help: "When it applies, no coupon can be used.") var exclusive = false
        @OptionGroup var conditions: Conditions

        func run() throws {
            let node = try common.openNode()
            if let spendSave, percent == nil {
                let p = try attempt { try node.addSpendSavePromotion(id: id, name: name, tiers: spendSave) }
                common.emit(p, human: "promotion \(p.id) \(p.name): \(p.rule) \(p.detail)")
                return
            }
            let rule: Promotion.Rule
            if let percent {
                guard (1...99).contains(percent) else { throw ValidationError("--percent must be 1…99") }
                rule = .percentOff(percent: percent, skus: conditions.skus)
            } else if let flashPercent {
                guard (1...99).contains(flashPercent) else { throw ValidationError("--flash-percent must be 1…99") }
                rule = .flashSale(scope: conditions.scope, price: .percentOff(flashPercent))
            } else if let flashPrice {
                guard let c = parseYuan(flashPrice), c >= 0 else { throw ValidationError("--flash-price must be an amount in yuan") }
                rule = .flashSale(scope: conditions.scope, price: .unitPrice(cents: c))
            } else if let buy, let get {
                guard buy >= 1, get >= 1 else { throw ValidationError("--buy and --get must be at least 1") }
                rule = .buyNGetM(buy: buy, get: get, scope: conditions.scope)
            } else if let giftSKU, let giftThreshold {
                guard let t = parseYuan(giftThreshold), t > 0 else { throw ValidationError("--gift-threshold must be an amount in yuan") }
                let giftName = try attempt { try node.catalog().first { $0.sku == giftSKU }?.name } ?? giftSKU
                rule = .gift(sku: giftSKU, name: giftName, thresholdCents: t, scope: conditions.scope)
            } else if !memberLevel.isEmpty, let levelPercent {
                guard (1...99).contains(levelPercent) else { throw ValidationError("--level-percent must be 1…99") }
                rule = .memberPrice(levels: memberLevel, scope: conditions.scope, price: .percentOff(levelPercent))
            } else {
                throw ValidationError("give one rule: --spend-save, --percent, --flash-percent/--flash-price, --buy/--get, --gift-sku/--gift-threshold or --member-level/--level-percent")
            }
            let (starts, ends) = try conditions.window()
            let promotion = Promotion(
                id: id, name: name, rule: rule, startsAt: starts, endsAt: ends, exclusive: exclusive,
                audience: try conditions.audience())
            let p = try attempt { try node.publish(promotion) }
            common.emit(p, human: "promotion \(p.id) \(p.name): \(p.rule)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List promotions.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let ps = try attempt { try node.promotions() }
            common.emit(Listing(key: "promotions", items: ps), human: ps.map { "\($0.id)  \($0.name)  \($0.rule)  \($0.detail)" }.joined(separator: "\n"))
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a promotion now.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run() throws {
            let node = try common.openNode()
            let p = try attempt { try node.endPromotion(id: id) }
            common.emit(p, human: "promotion \(p.id) ended")
        }
    }
}

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Conflict records: what the merge decided against someone's intent.",
        subcommands: [List.self, Resolve.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List conflict records.")
        @OptionGroup var common: CommonOptions
        @Option(help: "open or resolved.") var status: String?
        @Option(help: "Language of each record's sentence: en or zh (中文).") var lang: Language = .english
        func run() throws {
            let node = try common.openNode()
            let cs = try attempt { try node.conflicts(status: status) }
            common.emit(
                Listing(key: "conflicts", items: cs),
                human: cs.isEmpty
                    ? (lang == .chinese ? "没有冲突记录" : "no conflicts")
                    : cs.map { c in
                        "[\(c.status)] \(c.rule)  \(c.subject)\n    \(c.text(in: lang))"
                            + "\(c.note.map { "\n    note: \($0)" } ?? "")\n    id: \(c.id)"
                    }.joined(separator: "\n"))
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a conflict with a note.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option var note: String
        func run() throws {
            let node = try common.openNode()
            let c = try attempt { try node.resolveConflict(id: id, note: note) }
            common.emit(c, human: "resolved \(c.id)")
        }
    }
}
