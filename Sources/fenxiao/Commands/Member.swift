import ArgumentParser
import Commerce
import Node
import Replication

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Members: add, edit, show, points, check-in, login, topup, levels, birthday gifts.",
        subcommands: [
            Add.self, Find.self, Edit.self, Show.self, Points.self, Checkin.self, Login.self, Topup.self,
            TopupBonus.self, Level.self,
            BirthdayGifts.self,
        ])

    struct Login: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Record a member's login (app or counter); dormancy counts from it.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        func run(on node: FenxiaoNode) throws -> MemberView { try node.members.recordLogin(member: id) }
        func human(_ m: MemberView) -> String { "member \(m.id) logged in" }
    }

    struct TopupBonus: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "topup-bonus",
            abstract: "Show or (central) set top-up bonus tiers (充值赠送), e.g. --tiers 500=50,1000=120.")
        @OptionGroup var common: CommonOptions
        @Option(help: "THRESHOLD=BONUS in yuan, comma-separated; none to remove every tier.") var tiers: String?
        func run(on node: FenxiaoNode) throws -> Listing<Commerce.TopupBonus> {
            Listing(
                key: "tiers",
                items: try tiers.map { try node.members.setTopupBonuses(Commerce.TopupBonus.list(parsing: $0)) }
                    ?? node.members.topupBonuses())
        }
        func human(_ ts: Listing<Commerce.TopupBonus>) -> String {
            ts.items.isEmpty
                ? "no top-up bonus"
                : ts.items.map { "top up \(yuan($0.threshold_cents)) → +\(yuan($0.bonus_cents))" }.joined(
                    separator: "\n")
        }
    }

    struct BirthdayGifts: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "birthday-gifts",
            abstract: "Give today's birthday members their level's gift (once a year; `serve` does it too).")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<BirthdayGift> {
            Listing(key: "gifts", items: try node.members.giveBirthdayGifts())
        }
        func human(_ gifts: Listing<BirthdayGift>) -> String {
            gifts.items.isEmpty
                ? "no birthday gift due"
                : gifts.items.map {
                    "\($0.member) (\($0.level)): +\($0.points) points\($0.coupon.map { ", coupon \($0)" } ?? "")"
                }
                .joined(separator: "\n")
        }
    }

    struct Checkin: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkin", abstract: "Daily check-in: +10 points, once a day.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        func run(on node: FenxiaoNode) throws -> MemberView { try node.members.checkin(member: id) }
        func human(_ m: MemberView) -> String { "member \(m.id) checked in: \(m.points) points" }
    }

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a member.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The member's id (default: one the system assigns, M-<store>-…; then --phone is required).")
        var id: String?
        @Option var name: String
        @Option var phone: String?
        @Option var email: String?
        @Option var address: String?
        @Option(help: "YYYY-MM-DD or MM-DD.") var birthday: String?
        func run(on node: FenxiaoNode) throws -> MemberView {
            guard let id else {
                guard let phone else {
                    throw NodeError(
                        .invalidInput,
                        "a member registered without \(Field.id) needs \(Field.phone): the counter finds them by it")
                }
                let added = try node.till.registerMember(name: name, phone: phone)
                if email == nil && address == nil && birthday == nil { return added }
                return try node.members.upsert(
                    id: added.id, name: nil, phone: nil, birthday: birthday, email: email, address: address)
            }
            return try node.members.upsert(
                id: id, name: name, phone: phone, birthday: birthday, email: email, address: address)
        }
        func human(_ m: MemberView) -> String {
            OutputLanguage.text("member ", "会员 ") + "\(m.id) \(m.name ?? "") \(m.phone ?? "")"
        }
    }

    struct Find: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "find", abstract: "Find a member by phone (the counter's key).")
        @OptionGroup var common: CommonOptions
        @Option var phone: String
        func run(on node: FenxiaoNode) throws -> MemberView { try node.till.findMember(phone: phone) }
        func human(_ m: MemberView) -> String {
            OutputLanguage.text(
                "member \(m.id) \(m.name ?? "")  \(m.points) points  \(yuan(m.wallet_cents)) stored value",
                "会员 \(m.id) \(m.name ?? "")  积分 \(m.points)  储值 \(yuan(m.wallet_cents))")
        }
    }

    struct Edit: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Edit a member's name, phone, region, birthday or messaging consent.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String?
        @Option var phone: String?
        @Option(help: "Region, e.g. Zhejiang (used by member groups).") var region: String?
        @Option(help: "YYYY-MM-DD or MM-DD.") var birthday: String?
        @Option var email: String?
        @Option var address: String?
        @Flag(
            inversion: .prefixedEnableDisable,
            help: "Opt out of (--enable-opt-out) or back into (--disable-opt-out) campaigns.") var optOut: Bool?
        func run(on node: FenxiaoNode) throws -> MemberView {
            try node.members.upsert(
                id: id, name: name, phone: phone, region: region, birthday: birthday, optOut: optOut, email: email,
                address: address)
        }
        func human(_ m: MemberView) -> String { "member \(m.id) \(m.name ?? "") \(m.phone ?? "")" }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a member with points and stored value.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run(on node: FenxiaoNode) throws -> MemberView { try node.members.find(id) }
        func human(_ m: MemberView) -> String {
            "member \(m.id) \(m.name ?? "") \(m.phone ?? "")  points \(m.points)  wallet \(yuan(m.wallet_cents))"
        }
    }

    struct Points: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "points", abstract: "Add (--add N) or spend (--spend N) points.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option(parsing: .unconditional) var add: Int64?
        @Option(parsing: .unconditional) var spend: Int64?
        @Option var reason: String = "manual"
        func validate() throws {
            guard (add == nil) != (spend == nil) else {
                throw ValidationError("give exactly one of --add N or --spend N")
            }
            if let v = add ?? spend, v <= 0 { throw ValidationError("the number of points must be positive") }
        }
        func run(on node: FenxiaoNode) throws -> MemberView {
            try node.members.ledger(member: id, account: .points, delta: add ?? -(spend ?? 0), reason: reason)
        }
        func human(_ m: MemberView) -> String { "member \(m.id): \(m.points) points" }
    }

    struct Level: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "level",
            abstract: "A member's level (derived from lifetime points), or define a level at central with --define.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "Member id (to show their level).") var member: String?
        @Option(help: "Define or change this level id (central).") var define: String?
        @Option var name: String?
        @Option(name: .customLong("min-points")) var minPoints: Int64 = 0
        @Option(name: .customLong("points-multiplier"), help: "Percent, e.g. 150 = 1.5 points per yuan.")
        var pointsMultiplier: Int64 = 100
        @Option(help: "Member discount in percent.") var discount: Int64 = 0
        @Flag(name: .customLong("free-shipping"), help: "Online orders ship free at this level.") var freeShipping =
            false
        @Option(name: .customLong("birthday-points"), help: "Points given on the member's birthday.")
        var birthdayPoints: Int64 = 0
        @Option(name: .customLong("birthday-coupon"), help: "Holders-only coupon given on the member's birthday.")
        var birthdayCoupon: String?
        @Option(
            name: .customLong("min-spend"),
            help: "Lifetime spend in yuan also needed (levels by spend: --min-points 0).") var minSpend: Money?

        /// One of three answers: the level defined, every level, or one member's level.
        enum Out: Encodable {
            case defined(MemberLevel)
            case all([MemberLevel])
            case member(String, MemberLevel?)
            func encode(to encoder: any Encoder) throws {
                switch self {
                case .defined(let l): try l.encode(to: encoder)
                case .all(let ls): try Listing(key: "levels", items: ls).encode(to: encoder)
                case .member(let m, let l):
                    struct One: Encodable { let member: String; let level: MemberLevel? }
                    try One(member: m, level: l).encode(to: encoder)
                }
            }
        }

        func run(on node: FenxiaoNode) throws -> Out {
            if let define {
                return .defined(
                    try node.members.defineLevel(
                        id: define, name: name ?? define, minPoints: minPoints, pointsMultiplier: pointsMultiplier,
                        discountPercent: discount,
                        freeShipping: freeShipping, birthdayPoints: birthdayPoints, birthdayCoupon: birthdayCoupon,
                        minSpend: minSpend))
            }
            guard let member else { return .all(try node.members.levels()) }
            return .member(member, try node.members.level(of: member))
        }

        func human(_ out: Out) -> String {
            switch out {
            case .defined(let l):
                return
                    "level \(l.id) \(l.name): from \(l.min_points) points, ×\(Double(l.pointsMultiplierPercent) / 100) points, \(l.discount_percent)% off"
            case .all(let ls):
                return ls.map { "\($0.id) \($0.name) from \($0.min_points) points" }.joined(separator: "\n")
            case .member(let m, let l): return "\(m): \(l?.name ?? "no level")"
            }
        }
    }

    struct Topup: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "topup", abstract: "Top up stored value (储值) in yuan.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option(parsing: .unconditional, help: "Yuan, e.g. 100 or 99.50.") var amount: Money
        @Option(help: "How the member paid: cash (default), card, wallet or qrpay.") var pay: PaymentMethod = .cash
        @Option(name: .customLong("pay-ref"), help: "The card or wallet transaction reference (needed unless cash).")
        var payRef: String?
        func validate() throws {
            guard amount.cents > 0 else { throw ValidationError("--amount must be a positive amount in yuan") }
        }
        func run(on node: FenxiaoNode) throws -> MemberView {
            try node.members.ledger(
                member: id, account: .wallet, delta: amount.cents, reason: "topup", payment: pay,
                paymentReference: payRef)
        }
        func human(_ m: MemberView) -> String {
            "member \(m.id): wallet \(yuan(m.wallet_cents)) (with any top-up bonus)"
        }
    }
}
