import ArgumentParser
import Commerce
import Node
import Replication

func parseYuan(_ text: String) -> Int64? { Money(parsing: text)?.cents }

struct CouponCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupon", abstract: "Coupons (defined at central).", subcommands: [Define.self])

    struct Define: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Define a fixed-amount coupon.")
        @OptionGroup var common: CommonOptions
        @Option var code: String
        @Option(help: "Amount off in yuan.") var amount: String
        @Option(name: .customLong("min-spend"), help: "Minimum spend in yuan.") var minSpend: String?
        @Flag(name: .customLong("multi-use"), help: "Allow the code to be used more than once.") var multiUse = false
        func run() throws {
            let node = try common.openNode()
            let f = try attempt { try node.defineCoupon(code: code, amount: amount, minSpend: minSpend, singleUse: !multiUse) }
            common.emit(JSONValue.object(f), human: "coupon \(code): \(yuan(f["amount_cents"]?.intValue ?? 0)) off")
        }
    }
}

struct PromoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promo", abstract: "Promotions (published at central).", subcommands: [Add.self, List.self, End.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a promotion: --spend-save 100:10,200:25 (满减, yuan) or --percent 10 [--sku S…].")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String
        @Option(name: .customLong("spend-save")) var spendSave: String?
        @Option var percent: Int64?
        @Option(name: .customLong("sku")) var skus: [String] = []
        func run() throws {
            guard (spendSave == nil) != (percent == nil) else { throw ValidationError("give exactly one of --spend-save or --percent") }
            let node = try common.openNode()
            let p = try attempt {
                if let spendSave { return try node.addSpendSavePromotion(id: id, name: name, tiers: spendSave) }
                return try node.addPercentPromotion(id: id, name: name, percent: percent ?? 0, skus: skus)
            }
            common.emit(p, human: "promotion \(p.id) \(p.name): \(p.rule) \(p.detail)")
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
        func run() throws {
            let node = try common.openNode()
            let cs = try attempt { try node.conflicts(status: status) }
            common.emit(
                Listing(key: "conflicts", items: cs),
                human: cs.isEmpty ? "no conflicts" : cs.map { "[\($0.status)] \($0.rule)  \($0.subject)\n    \($0.detail)\($0.note.map { "\n    note: \($0)" } ?? "")\n    id: \($0.id)" }.joined(separator: "\n"))
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
