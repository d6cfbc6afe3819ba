import ArgumentParser
import Foundation
import Node

/// `ms` since the epoch as ISO 8601 with the local offset (e.g. 2026-12-02T12:30:00+08:00).
fileprivate func isoInstant(_ ms: Int64) -> String {
    let f = ISO8601DateFormatter()
    f.timeZone = .current
    return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
}

struct PointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: "Points: balance with expiry, rules, sharing, the points catalog (积分商城) and exchanges.",
        subcommands: [Show.self, History.self, Rules.self, Share.self, Catalog.self, Exchange.self])

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "A member's points: available, expired, expiring within 30 days.")
        @OptionGroup var common: CommonOptions
        @Argument var member: String
        func run(on node: FenxiaoNode) throws -> PointsView { try node.members.points(of: member) }
        func human(_ p: PointsView) -> String {
            "\(p.member): \(p.available) points (\(p.expiring_soon) expire within 30 days, \(p.expired) expired)"
        }
    }

    struct History: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract:
                "A member's points entries, newest first: earned, redeemed, given back or clawed back by refunds, shared, exchanged."
        )
        @OptionGroup var common: CommonOptions
        @Argument var member: String
        @Option(help: "At most this many entries (1–10000).") var limit = 100
        func run(on node: FenxiaoNode) throws -> Listing<PointsEntryOutput> {
            Listing(
                key: "entries",
                items: try node.members.pointsHistory(of: member, limit: limit).map(PointsEntryOutput.init))
        }
        func human(_ entries: Listing<PointsEntryOutput>) -> String {
            entries.items.isEmpty
                ? "\(member) has no points entries"
                : entries.items.map { e in
                    "\(e.at)  \(e.delta > 0 ? "+" : "")\(e.delta)  \(e.reason ?? "")\(e.ref.map { " \($0)" } ?? "")  (\(e.id) at \(e.origin))"
                }.joined(separator: "\n")
        }
    }

    /// A points entry with its time also as ISO 8601 (`at`) next to `at_ms`.
    struct PointsEntryOutput: Encodable {
        let id: String, delta: Int64, reason: String?, ref: String?, at: String, at_ms: Int64, origin: String
        init(_ e: PointsEntry) {
            id = e.id
            delta = e.delta
            reason = e.reason
            ref = e.ref
            at = isoInstant(e.at_ms)
            at_ms = e.at_ms
            origin = e.origin
        }
    }

    struct Rules: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Show or (central) change the redemption cap, expiry and sharing reward.")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("cap-percent"), help: "Share of an order's total points may pay (default 50).")
        var capPercent: Int64?
        @Option(
            name: .customLong("expiry-days"),
            help: "Points expire this many days after they were earned; 0 = never (default).") var expiryDays: Int64?
        @Option(name: .customLong("share-points"), help: "Points per rewarded share (default 5).") var sharePoints:
            Int64?
        @Option(name: .customLong("share-daily-limit"), help: "Rewarded shares per member per day (default 3).")
        var shareDailyLimit: Int64?
        func run(on node: FenxiaoNode) throws -> PointsSettings {
            let change = capPercent != nil || expiryDays != nil || sharePoints != nil || shareDailyLimit != nil
            guard change else { return try node.members.pointsSettings() }
            return try node.members.setPointsSettings(
                capPercent: capPercent, expiryDays: expiryDays, sharePoints: sharePoints,
                shareDailyLimit: shareDailyLimit)
        }
        func human(_ s: PointsSettings) -> String {
            "points pay at most \(s.cap_percent) % of an order; \(s.expiry_days.map { "expire after \($0) days" } ?? "never expire"); sharing earns \(s.share_points), \(s.share_daily_limit)× a day"
        }
    }

    struct Share: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "share", abstract: "Reward a member for sharing a product or campaign.")
        @OptionGroup var common: CommonOptions
        @Option var member: String
        @Option(help: "What was shared (a SKU, a campaign…).") var what: String
        func run(on node: FenxiaoNode) throws -> PointsView { try node.members.share(member: member, what: what) }
        func human(_ p: PointsView) -> String { "\(p.member): \(p.available) points" }
    }

    struct Catalog: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "The points catalog; central adds (--add ITEM --points N) or removes (--remove ITEM).")
        @OptionGroup var common: CommonOptions
        @Option(help: "sku:<code> or coupon:<code> (a holders-only coupon).") var add: String?
        @Option(parsing: .unconditional) var points: Int64?
        @Option var remove: String?
        func validate() throws {
            if add != nil && points == nil { throw ValidationError("--add needs --points N") }
        }
        func run(on node: FenxiaoNode) throws -> Listing<PointsCatalogItem> {
            if let add, let points {
                return Listing(key: "items", items: try node.members.setPointsCatalogItem(add, points: points))
            }
            if let remove {
                return Listing(key: "items", items: try node.members.setPointsCatalogItem(remove, points: nil))
            }
            return Listing(key: "items", items: try node.members.pointsCatalog())
        }
        func human(_ items: Listing<PointsCatalogItem>) -> String {
            items.items.map { "\($0.item)  \($0.points) points" }.joined(separator: "\n")
        }
    }

    struct Exchange: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "exchange",
            abstract: "A member exchanges points for a catalog item (a SKU leaves this store's stock).")
        @OptionGroup var common: CommonOptions
        @Option var member: String
        @Option var item: String
        func run(on node: FenxiaoNode) throws -> PointsView {
            try node.members.exchangePoints(member: member, item: item)
        }
        func human(_ p: PointsView) -> String { "\(p.member) exchanged \(item): \(p.available) points left" }
    }
}
