import ArgumentParser
import Commerce
import Foundation
import Node

struct DistributorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributor", abstract: "Distributors (分销): apply, review, bind customers, show, tree, list.",
        subcommands: [
            Apply.self, Review.self, Status.self, Bind.self, Show.self, Tree.self, List.self, Settings.self, Group.self,
            Regroup.self,
        ])

    struct Group: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "group",
            abstract: "Central: put a distributor in a group (--set NAME) or out of it (--clear).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option var set: String?
        @Flag var clear = false
        func validate() throws {
            guard (set == nil) != !clear else { throw ValidationError("give --set NAME or --clear") }
        }
        func run(on node: FenxiaoNode) throws -> DistributorView { try node.distribution.setGroup(id: id, group: set) }
        func human(_ d: DistributorView) -> String {
            "distributor \(d.id): \(d.group.map { "group \($0)" } ?? "no group")"
        }
    }

    struct Regroup: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "regroup",
            abstract:
                "Central: group every active distributor by sales (--tiers gold=10000,silver=2000) or channel (--tiers Douyin=douyin)."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "sales or channel.") var by: RegroupDimension
        @Option(help: "GROUP=YUAN,… by sales; CHANNEL=GROUP,… by channel.") var tiers: String
        func run(on node: FenxiaoNode) throws -> Listing<GroupChange> {
            Listing(key: "changes", items: try node.distribution.regroup(RegroupRule(by: by, parsing: tiers)))
        }
        func human(_ changes: Listing<GroupChange>) -> String {
            changes.items.isEmpty
                ? "no distributor changes group"
                : changes.items.map { "\($0.distributor): \($0.from ?? "-") → \($0.to ?? "-")" }.joined(separator: "\n")
        }
    }

    struct Settings: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "settings",
            abstract: "Show or (central) change binding rule, lock period and automatic approval.")
        @OptionGroup var common: CommonOptions
        @Option(
            name: .customLong("lock-days"), parsing: .unconditional,
            help: "Days a binding is locked against re-binding (default 30).") var lockDays: Int64?
        @Option(help: "referral_code, first_purchase or both (default both).") var binding: BindingRule?
        @Option(
            name: .customLong("auto-approve-spend"),
            help: "Approve applications of members who spent at least this many yuan; off to review all by hand.")
        var autoApproveSpend: AutoApproval?
        @Option(
            name: .customLong("max-levels"),
            help: "Most commission levels a rule may have, 1–5 (default 3; above 3 warns).") var maxLevels: Int?
        func run(on node: FenxiaoNode) throws -> DistributionSettings {
            guard lockDays != nil || binding != nil || autoApproveSpend != nil || maxLevels != nil else {
                return try node.distribution.distributionSettings()
            }
            return try node.distribution.setDistributionSettings(
                lockDays: lockDays, binding: binding, autoApproveSpend: autoApproveSpend, maxLevels: maxLevels)
        }
        func human(_ s: DistributionSettings) -> String {
            "binding by \(s.binding), locked \(s.lock_days) days, automatic approval \(s.auto_approve_spend_cents.map { "at \(yuan($0)) spent" } ?? "off"), at most \(s.max_levels) commission levels"
        }
    }

    struct Status: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Central: freeze, reactivate or end a distributor.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(help: "active, frozen or quit.") var set: DistributorRegister.Status
        @Option var reason: String?
        func run(on node: FenxiaoNode) throws -> DistributorView {
            try node.distribution.setStatus(id: id, status: set, reason: reason)
        }
        func human(_ d: DistributorView) -> String { "distributor \(d.id) is \(d.status)" }
    }

    struct Apply: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply", abstract: "A member applies to become a distributor.")
        @OptionGroup var common: CommonOptions
        @Option var member: String
        @Option(help: "Promotion channels, e.g. \"WeChat official account, Douyin shop\".") var channels: String?
        @Option var experience: String?
        @Option(name: .customLong("inviter-code"), help: "Referral code of the inviting distributor.") var inviterCode:
            String?
        func run(on node: FenxiaoNode) throws -> DistributorView {
            try node.distribution.apply(
                member: member, channels: channels, experience: experience, inviterCode: inviterCode)
        }
        func human(_ d: DistributorView) -> String {
            "distributor \(d.id): \(d.status), referral code \(d.referral_code)"
        }
    }

    struct Review: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Head office approves (--approve) or rejects (--reject) an application.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The application to review (omit with --auto).") var id: String?
        @Flag(
            help:
                "Approve (--approve) or reject (--reject); --auto applies the automatic approval rule to every pending application."
        )
        var decision: Decision
        @Option var reason: String?
        @Option(help: "Distributor group (its own commission overrides).") var group: String?
        enum Decision: EnumerableFlag { case approve, reject, auto }

        /// One distributor reviewed, or those the automatic rule approved.
        enum Out: Encodable {
            case one(DistributorView)
            case auto([DistributorView])
            func encode(to encoder: any Encoder) throws {
                switch self {
                case .one(let d): try d.encode(to: encoder)
                case .auto(let ds): try Listing(key: "approved", items: ds).encode(to: encoder)
                }
            }
        }

        func validate() throws {
            if decision != .auto && id == nil { throw ValidationError("give the distributor to review, or --auto") }
        }
        func run(on node: FenxiaoNode) throws -> Out {
            guard decision != .auto, let id else { return .auto(try node.distribution.autoReviewApplications()) }
            return .one(
                try node.distribution.review(id: id, approve: decision == .approve, reason: reason, group: group))
        }
        func human(_ out: Out) -> String {
            switch out {
            case .one(let d): return "distributor \(d.id) is \(d.status)"
            case .auto(let approved):
                return approved.isEmpty
                    ? "no pending application meets the rule"
                    : approved.map { "\($0.id): \($0.reason ?? "")" }.joined(separator: "\n")
            }
        }
    }

    struct Bind: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "bind",
            abstract: "Bind a customer to a distributor by referral code (locked 30 days).")
        @OptionGroup var common: CommonOptions
        @Option var member: String
        @Option var code: String
        struct Out: Encodable { let member: String; let distributor: String }
        func run(on node: FenxiaoNode) throws -> Out {
            Out(member: member, distributor: try node.distribution.bindCustomer(member: member, referralCode: code).id)
        }
        func human(_ out: Out) -> String { "\(out.member) is bound to \(out.distributor)" }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A distributor's profile and commission account.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        struct Out: Encodable {
            let distributor: DistributorView; let account: CommissionAccount; let performance: DistributorPerformance
        }
        func run(on node: FenxiaoNode) throws -> Out {
            Out(
                distributor: try node.distribution.find(id), account: try node.distribution.commissionAccount(id),
                performance: try node.distribution.performance(of: id))
        }
        func human(_ out: Out) -> String {
            let (d, a, p) = (out.distributor, out.account, out.performance)
            return """
                distributor \(d.id) (\(d.status))\(d.group.map { ", group \($0)" } ?? ""), code \(d.referral_code)\(d.inviter.map { ", invited by \($0)" } ?? "")
                  pending \(yuan(a.pending_cents))  frozen \(yuan(a.frozen_cents))  available \(yuan(a.available_cents))
                  withdrawn \(yuan(a.withdrawn_cents))  balance \(yuan(a.balance_cents))
                  sales \(yuan(p.sales_cents)) in \(p.orders) orders, \(p.customers) customers, team of \(p.team)
                """
        }
    }

    struct Tree: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "tree", abstract: "A distributor's downline.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        /// One indented line per distributor, as `{"tree": ["D1 (active)", "  D2 (active)"]}` too.
        func run(on node: FenxiaoNode) throws -> Listing<String> {
            Listing(
                key: "tree",
                items: try node.distribution.tree(id).map {
                    String(repeating: "  ", count: $0.depth) + "\($0.distributor) (\($0.status?.rawValue ?? "?"))"
                })
        }
        func human(_ lines: Listing<String>) -> String { lines.items.joined(separator: "\n") }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List distributors (--status applied for the review queue).")
        @OptionGroup var common: CommonOptions
        @Option(help: "applied, active, rejected, frozen or quit.") var status: DistributorRegister.Status?
        func run(on node: FenxiaoNode) throws -> Listing<DistributorView> {
            Listing(key: "distributors", items: try node.distribution.list(status: status))
        }
        func human(_ ds: Listing<DistributorView>) -> String {
            ds.items.map { "\($0.id)  \($0.status)  \($0.referral_code)  \($0.inviter ?? "")" }.joined(separator: "\n")
        }
    }
}
