import ArgumentParser
import Node

struct GroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Member groups by rules (spend, orders, region), recomputed from merged data.",
        subcommands: [Define.self, List.self, Members.self])

    struct Define: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Central: define a group, e.g. --min-spend 2000 --days 90 --region Zhejiang.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String
        @Option(name: .customLong("min-spend"), help: "Yuan spent in the window.") var minSpend: String?
        @Option(name: .customLong("min-orders")) var minOrders: Int64 = 0
        @Option var days: Int64 = 90
        @Option var region: String?
        func run() throws {
            let node = try common.openNode()
            let g = try attempt { try node.defineGroup(id: id, name: name, minSpend: minSpend, minOrders: minOrders, days: days, region: region) }
            common.emit(g, human: "group \(g.id) \(g.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let gs = try attempt { try node.groups() }
            common.emit(Listing(key: "groups", items: gs), human: gs.map { "\($0.id)  \($0.name)  ≥ \(yuan($0.min_spend_cents)) and \($0.min_orders) orders in \($0.days) days\($0.region.map { " in \($0)" } ?? "")" }.joined(separator: "\n"))
        }
    }

    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A group's members now.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run() throws {
            let node = try common.openNode()
            let ms = try attempt { try node.groupMembers(id) }
            common.emit(Listing(key: "members", items: ms), human: ms.joined(separator: "\n"))
        }
    }
}

struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Member messages: one outbox event per member, opt-outs respected.",
        subcommands: [Send.self, Dormant.self, Birthdays.self])

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send to a group (--group), dormant members (--dormant-days) or today's birthdays (--birthday MM-DD).")
        @OptionGroup var common: CommonOptions
        @Option(help: "recall, birthday, promotion or new_products.") var kind: String
        @Option var message: String
        @Option var group: String?
        @Option(name: .customLong("dormant-days")) var dormantDays: Int64?
        @Option var birthday: String?
        func run() throws {
            guard [group != nil, dormantDays != nil, birthday != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --group, --dormant-days, --birthday")
            }
            let node = try common.openNode()
            let members = try attempt { () throws -> [String] in
                if let group { return try node.groupMembers(group) }
                if let dormantDays { return try node.dormantMembers(days: dormantDays) }
                return try node.birthdayMembers(on: birthday ?? "")
            }
            let (sent, optedOut) = try attempt { try node.sendCampaign(kind: kind, message: message, members: members) }
            struct Out: Encodable { let sent: Int; let opted_out: Int }
            common.emit(Out(sent: sent, opted_out: optedOut), human: "queued \(sent) messages (\(optedOut) members opted out)")
        }
    }

    struct Dormant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Members with no purchase in N days.")
        @OptionGroup var common: CommonOptions
        @Option var days: Int64 = 90
        func run() throws {
            let node = try common.openNode()
            let ms = try attempt { try node.dormantMembers(days: days) }
            common.emit(Listing(key: "members", items: ms), human: ms.joined(separator: "\n"))
        }
    }

    struct Birthdays: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Members whose birthday is on MM-DD.")
        @OptionGroup var common: CommonOptions
        @Option var date: String
        func run() throws {
            let node = try common.openNode()
            let ms = try attempt { try node.birthdayMembers(on: date) }
            common.emit(Listing(key: "members", items: ms), human: ms.joined(separator: "\n"))
        }
    }
}
