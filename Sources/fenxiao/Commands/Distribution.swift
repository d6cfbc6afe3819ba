import ArgumentParser
import Commerce
import Foundation
import Node

struct DistributorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributor", abstract: "Distributors (分销): apply, review, bind customers, show, tree, list.",
        subcommands: [Apply.self, Review.self, Status.self, Bind.self, Show.self, Tree.self, List.self, Settings.self, Group.self, Regroup.self])

    struct Group: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Central: put a distributor in a group (--set NAME) or out of it (--clear).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option var set: String?
        @Flag var clear = false
        func run() throws {
            guard (set == nil) != !clear else { throw ValidationError("give --set NAME or --clear") }
            let node = try common.openNode()
            let d = try attempt { try node.setDistributorGroup(id: id, group: set) }
            common.emit(d, human: "distributor \(d.id): \(d.group.map { "group \($0)" } ?? "no group")")
        }
    }

    struct Regroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Central: group every active distributor by sales (--tiers gold=10000,silver=2000) or channel (--tiers Douyin=douyin).")
        @OptionGroup var common: CommonOptions
        @Option(help: "sales or channel.") var by: String
        @Option var tiers: String
        func run() throws {
            let node = try common.openNode()
            let changes = try attempt { try node.regroupDistributors(by: by, tiers: tiers) }
            common.emit(
                Listing(key: "changes", items: changes),
                human: changes.isEmpty ? "no distributor changes group" : changes.map { "\($0.distributor): \($0.from ?? "-") → \($0.to ?? "-")" }.joined(separator: "\n"))
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or (central) change binding rule, lock period and automatic approval.")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("lock-days"), help: "Days a binding is locked against re-binding (default 30).") var lockDays: Int64?
        @Option(help: "referral_code, first_purchase or both (default both).") var binding: String?
        @Option(name: .customLong("auto-approve-spend"), help: "Approve applications of members who spent at least this many yuan; off to review all by hand.") var autoApproveSpend: String?
        @Option(name: .customLong("max-levels"), help: "Most commission levels a rule may have, 1–5 (default 3; above 3 warns).") var maxLevels: Int?
        func run() throws {
            let node = try common.openNode()
            let s = try attempt {
                lockDays == nil && binding == nil && autoApproveSpend == nil && maxLevels == nil
                    ? try node.distributionSettings()
                    : try node.setDistributionSettings(lockDays: lockDays, binding: binding, autoApproveSpend: autoApproveSpend, maxLevels: maxLevels)
            }
            common.emit(
                s,
                human: "binding by \(s.binding), locked \(s.lock_days) days, automatic approval \(s.auto_approve_spend_cents.map { "at \(yuan($0)) spent" } ?? "off"), at most \(s.max_levels) commission levels")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Central: freeze, reactivate or end a distributor.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(help: "active, frozen or quit.") var set: String
        @Option var reason: String?
        func run() throws {
            let node = try common.openNode()
            let d = try attempt { try node.setDistributorStatus(id: id, status: set, reason: reason) }
            common.emit(d, human: "distributor \(d.id) is \(d.status)")
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member applies to become a distributor.")
        @OptionGroup var common: CommonOptions
        @Option var member: String
        @Option(help: "Promotion channels, e.g. \"WeChat official account, Douyin shop\".") var channels: String?
        @Option var experience: String?
        @Option(name: .customLong("inviter-code"), help: "Referral code of the inviting distributor.") var inviterCode: String?
        func run() throws {
            let node = try common.openNode()
            let d = try attempt { try node.applyDistributor(member: member, channels: channels, experience: experience, inviterCode: inviterCode) }
            common.emit(d, human: "distributor \(d.id): \(d.status), referral code \(d.referral_code)")
        }
    }

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Head office approves (--approve) or rejects (--reject) an application.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The application to review (omit with --auto).") var id: String?
        @Flag(help: "Approve (--approve) or reject (--reject); --auto applies the automatic approval rule to every pending application.")
        var decision: Decision
        @Option var reason: String?
        @Option(help: "Distributor group (its own commission overrides).") var group: String?
        enum Decision: EnumerableFlag { case approve, reject, auto }
        func run() throws {
            let node = try common.openNode()
            if decision == .auto {
                let approved = try attempt { try node.autoReviewApplications() }
                common.emit(
                    Listing(key: "approved", items: approved),
                    human: approved.isEmpty ? "no pending application meets the rule" : approved.map { "\($0.id): \($0.reason ?? "")" }.joined(separator: "\n"))
                return
            }
            guard let id else { throw ValidationError("give the distributor to review, or --auto") }
            let d = try attempt { try node.reviewDistributor(id: id, approve: decision == .approve, reason: reason, group: group) }
            common.emit(d, human: "distributor \(d.id) is \(d.status)")
        }
    }

    struct Bind: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bind a customer to a distributor by referral code (locked 30 days).")
        @OptionGroup var common: CommonOptions
        @Option var member: String
        @Option var code: String
        func run() throws {
            let node = try common.openNode()
            let d = try attempt { try node.bindCustomer(member: member, referralCode: code) }
            struct Out: Encodable { let member: String; let distributor: String }
            common.emit(Out(member: member, distributor: d.id), human: "\(member) is bound to \(d.id)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A distributor's profile and commission account.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run() throws {
            let node = try common.openNode()
            let d = try attempt { try node.distributor(id) }
            let a = try attempt { try node.commissionAccount(id) }
            let p = try attempt { try node.performance(of: id) }
            struct Out: Encodable { let distributor: DistributorView; let account: CommissionAccount; let performance: DistributorPerformance }
            common.emit(
                Out(distributor: d, account: a, performance: p),
                human: """
                    distributor \(d.id) (\(d.status))\(d.group.map { ", group \($0)" } ?? ""), code \(d.referral_code)\(d.inviter.map { ", invited by \($0)" } ?? "")
                      pending \(yuan(a.pending_cents))  frozen \(yuan(a.frozen_cents))  available \(yuan(a.available_cents))
                      withdrawn \(yuan(a.withdrawn_cents))  balance \(yuan(a.balance_cents))
                      sales \(yuan(p.sales_cents)) in \(p.orders) orders, \(p.customers) customers, team of \(p.team)
                    """)
        }
    }

    struct Tree: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A distributor's downline.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run() throws {
            let node = try common.openNode()
            let lines = try attempt { try node.distributorTree(id) }
            common.emit(Listing(key: "tree", items: lines), human: lines.joined(separator: "\n"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List distributors (--status applied for the review queue).")
        @OptionGroup var common: CommonOptions
        @Option var status: String?
        func run() throws {
            let node = try common.openNode()
            let ds = try attempt { try node.distributors(status: status) }
            common.emit(Listing(key: "distributors", items: ds), human: ds.map { "\($0.id)  \($0.status)  \($0.referral_code)  \($0.inviter ?? "")" }.joined(separator: "\n"))
        }
    }
}
