import ArgumentParser
import Commerce
import Node

struct GroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Member groups by rules (spend, orders, region), recomputed from merged data.",
        subcommands: [Define.self, List.self, Members.self])

    struct Define: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "define",
            abstract: "Central: define a group, e.g. --min-spend 2000 --days 90 --region Zhejiang.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String
        @Option(name: .customLong("min-spend"), help: "Yuan spent in the window.") var minSpend: Money?
        @Option(name: .customLong("min-orders"), parsing: .unconditional) var minOrders: Int64 = 0
        @Option(parsing: .unconditional) var days: Int64 = 90
        @Option var region: String?
        func run(on node: FenxiaoNode) throws -> MemberGroup {
            try node.members.defineGroup(
                id: id, name: name, minSpend: minSpend, minOrders: minOrders, days: days, region: region)
        }
        func human(_ g: MemberGroup) -> String { "group \(g.id) \(g.name)" }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List groups.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<MemberGroup> {
            Listing(key: "groups", items: try node.members.groups())
        }
        func human(_ gs: Listing<MemberGroup>) -> String {
            gs.items.map {
                "\($0.id)  \($0.name)  ≥ \(yuan($0.min_spend_cents)) and \($0.min_orders) orders in \($0.days) days\($0.region.map { " in \($0)" } ?? "")"
            }
            .joined(separator: "\n")
        }
    }

    struct Members: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "members", abstract: "A group's members now.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run(on node: FenxiaoNode) throws -> Listing<String> {
            Listing(key: "members", items: try node.members.groupMembers(id))
        }
        func human(_ ms: Listing<String>) -> String { ms.items.joined(separator: "\n") }
    }
}

struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Member messages: one outbox event per member, opt-outs respected.",
        subcommands: [Send.self, Dormant.self, Birthdays.self])

    struct Send: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract:
                "Send to a group (--group), dormant members (--dormant-days) or today's birthdays (--birthday MM-DD).")
        @OptionGroup var common: CommonOptions
        @Option(help: "recall, birthday, promotion or new_products.") var kind: CampaignKind
        @Option var message: String
        @Option var group: String?
        @Option(name: .customLong("dormant-days"), parsing: .unconditional) var dormantDays: Int64?
        @Option(help: "MM-DD.") var birthday: MonthDay?
        struct Out: Encodable { let sent: Int; let opted_out: Int }
        func validate() throws {
            guard [group != nil, dormantDays != nil, birthday != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --group, --dormant-days, --birthday")
            }
        }
        func run(on node: FenxiaoNode) throws -> Out {
            let members: [String]
            if let group {
                members = try node.members.groupMembers(group)
            } else if let dormantDays {
                members = try node.members.dormant(days: dormantDays)
            } else {
                guard let birthday else {
                    throw ValidationError("give exactly one of --group, --dormant-days, --birthday")
                }
                members = try node.members.birthdays(on: birthday)
            }
            let (sent, optedOut) = try node.marketing.sendCampaign(kind: kind, message: message, members: members)
            return Out(sent: sent, opted_out: optedOut)
        }
        func human(_ out: Out) -> String { "queued \(out.sent) messages (\(out.opted_out) members opted out)" }
    }

    struct Dormant: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "dormant", abstract: "Members with no purchase in N days.")
        @OptionGroup var common: CommonOptions
        @Option(parsing: .unconditional) var days: Int64 = 90
        func run(on node: FenxiaoNode) throws -> Listing<String> {
            Listing(key: "members", items: try node.members.dormant(days: days))
        }
        func human(_ ms: Listing<String>) -> String { ms.items.joined(separator: "\n") }
    }

    struct Birthdays: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "birthdays", abstract: "Members whose birthday is on MM-DD.")
        @OptionGroup var common: CommonOptions
        @Option(help: "MM-DD.") var date: MonthDay
        func run(on node: FenxiaoNode) throws -> Listing<String> {
            Listing(key: "members", items: try node.members.birthdays(on: date))
        }
        func human(_ ms: Listing<String>) -> String { ms.items.joined(separator: "\n") }
    }
}
