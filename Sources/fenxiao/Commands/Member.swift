import ArgumentParser
import Node

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Members: add, edit, show, points, check-in, login, topup, levels, birthday gifts.",
        subcommands: [
            Add.self, Edit.self, Show.self, Points.self, Checkin.self, Login.self, Topup.self, TopupBonus.self, Level.self,
            BirthdayGifts.self,
        ])

    struct Login: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a member's login (app or counter); dormancy counts from it.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        func run() throws {
            let node = try common.openNode()
            let m = try attempt { try node.recordLogin(member: id) }
            common.emit(m, human: "member \(m.id) logged in")
        }
    }

    struct TopupBonus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "topup-bonus", abstract: "Show or (central) set top-up bonus tiers (充值赠送), e.g. --tiers 500=50,1000=120.")
        @OptionGroup var common: CommonOptions
        @Option(help: "THRESHOLD=BONUS in yuan, comma-separated; none to remove every tier.") var tiers: String?
        func run() throws {
            let node = try common.openNode()
            let ts = try attempt { try tiers.map { try node.setTopupBonuses($0) } ?? node.topupBonuses() }
            common.emit(
                Listing(key: "tiers", items: ts),
                human: ts.isEmpty ? "no top-up bonus" : ts.map { "top up \(yuan($0.threshold_cents)) → +\(yuan($0.bonus_cents))" }.joined(separator: "\n"))
        }
    }

    struct BirthdayGifts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "birthday-gifts", abstract: "Give today's birthday members their level's gift (once a year; `serve` does it too).")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let gifts = try attempt { try node.giveBirthdayGifts() }
            common.emit(
                Listing(key: "gifts", items: gifts),
                human: gifts.isEmpty ? "no birthday gift due" : gifts.map { "\($0.member) (\($0.level)): +\($0.points) points\($0.coupon.map { ", coupon \($0)" } ?? "")" }.joined(separator: "\n"))
        }
    }

    struct Checkin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daily check-in: +10 points, once a day.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        func run() throws {
            let node = try common.openNode()
            let m = try attempt { try node.checkin(member: id) }
            common.emit(m, human: "member \(m.id) checked in: \(m.points) points")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a member.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String
        @Option var phone: String?
        @Option var email: String?
        @Option var address: String?
        @Option(help: "YYYY-MM-DD or MM-DD.") var birthday: String?
        func run() throws {
            let node = try common.openNode()
            let m = try attempt { try node.upsertMember(id: id, name: name, phone: phone, birthday: birthday, email: email, address: address) }
            common.emit(m, human: "member \(m.id) \(m.name ?? "") \(m.phone ?? "")")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edit a member's name, phone, region, birthday or messaging consent.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String?
        @Option var phone: String?
        @Option(help: "Region, e.g. Zhejiang (used by member groups).") var region: String?
        @Option(help: "YYYY-MM-DD or MM-DD.") var birthday: String?
        @Option var email: String?
        @Option var address: String?
        @Flag(inversion: .prefixedEnableDisable, help: "Opt out of (--enable-opt-out) or back into (--disable-opt-out) campaigns.") var optOut: Bool?
        func run() throws {
            let node = try common.openNode()
            let m = try attempt { try node.upsertMember(id: id, name: name, phone: phone, region: region, birthday: birthday, optOut: optOut, email: email, address: address) }
            common.emit(m, human: "member \(m.id) \(m.name ?? "") \(m.phone ?? "")")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a member with points and stored value.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run() throws {
            let node = try common.openNode()
            let m = try attempt { try node.member(id) }
            common.emit(m, human: "member \(m.id) \(m.name ?? "") \(m.phone ?? "")  points \(m.points)  wallet \(yuan(m.wallet_cents))")
        }
    }

    struct Points: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add (--add N) or spend (--spend N) points.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var add: Int64?
        @Option var spend: Int64?
        @Option var reason: String = "manual"
        func run() throws {
            guard (add == nil) != (spend == nil) else { throw ValidationError("give exactly one of --add N or --spend N") }
            if let v = add ?? spend, v <= 0 { throw ValidationError("the number of points must be positive") }
            let node = try common.openNode()
            let delta = add ?? -(spend ?? 0)
            let m = try attempt { try node.memberLedger(member: id, account: "points", delta: delta, reason: reason) }
            common.emit(m, human: "member \(m.id): \(m.points) points")
        }
    }

    struct Level: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A member's level (derived from lifetime points), or define a level at central with --define.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "Member id (to show their level).") var member: String?
        @Option(help: "Define or change this level id (central).") var define: String?
        @Option var name: String?
        @Option(name: .customLong("min-points")) var minPoints: Int64 = 0
        @Option(name: .customLong("points-multiplier"), help: "Percent, e.g. 150 = 1.5 points per yuan.") var pointsMultiplier: Int64 = 100
        @Option(help: "Member discount in percent.") var discount: Int64 = 0
        @Flag(name: .customLong("free-shipping"), help: "Online orders ship free at this level.") var freeShipping = false
        @Option(name: .customLong("birthday-points"), help: "Points given on the member's birthday.") var birthdayPoints: Int64 = 0
        @Option(name: .customLong("birthday-coupon"), help: "Holders-only coupon given on the member's birthday.") var birthdayCoupon: String?
        @Option(name: .customLong("min-spend"), help: "Lifetime spend in yuan also needed (levels by spend: --min-points 0).") var minSpend: String?
        func run() throws {
            let node = try common.openNode()
            if let define {
                let l = try attempt {
                    try node.defineLevel(
                        id: define, name: name ?? define, minPoints: minPoints, pointsMultiplier: pointsMultiplier, discountPercent: discount,
                        freeShipping: freeShipping, birthdayPoints: birthdayPoints, birthdayCoupon: birthdayCoupon, minSpend: minSpend)
                }
                common.emit(l, human: "level \(l.id) \(l.name): from \(l.min_points) points, ×\(Double(l.pointsMultiplierPercent) / 100) points, \(l.discount_percent)% off")
                return
            }
            guard let member else {
                let ls = try attempt { try node.levels() }
                common.emit(Listing(key: "levels", items: ls), human: ls.map { "\($0.id) \($0.name) from \($0.min_points) points" }.joined(separator: "\n"))
                return
            }
            let l = try attempt { try node.level(of: member) }
            struct Out: Encodable { let member: String; let level: MemberLevel? }
            common.emit(Out(member: member, level: l), human: "\(member): \(l?.name ?? "no level")")
        }
    }

    struct Topup: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Top up stored value (储值) in yuan.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var amount: String
        @Option(help: "How the member paid: cash (default), card, wallet or qrpay.") var pay = "cash"
        @Option(name: .customLong("pay-ref"), help: "The card or wallet transaction reference (needed unless cash).") var payRef: String?
        func run() throws {
            let node = try common.openNode()
            guard let cents = parseYuan(amount), cents > 0 else { throw fail(NodeError(.invalidInput, "amount '\(amount)' must be a positive amount in yuan")) }
            let m = try attempt {
                try node.memberLedger(member: id, account: "wallet", delta: cents, reason: "topup", payment: pay, paymentReference: payRef)
            }
            common.emit(m, human: "member \(m.id): wallet \(yuan(m.wallet_cents)) (with any top-up bonus)")
        }
    }
}
