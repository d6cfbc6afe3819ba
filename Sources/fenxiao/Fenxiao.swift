import ArgumentParser

/// `fenxiao`: one binary for store nodes and the central node.
@main
struct Fenxiao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fenxiao",
        abstract: "Offline-first retail and distribution: store nodes that sell offline, a central node that merges.",
        discussion: "Every command takes --data DIR (default $FENXIAO_HOME, else ./fenxiao-data) and --json.",
        subcommands: [
            Init.self, CatalogCommand.self, StockCommand.self, OrderCommand.self, MemberCommand.self,
            CouponCommand.self, PointsCommand.self, PromoCommand.self, ConflictsCommand.self, Status.self, Serve.self, Enroll.self, Join.self, Sync.self, Recover.self, Quarantine.self, Backup.self, Restore.self, ReportCommand.self, DistributorCommand.self, CommissionCommand.self, WithdrawCommand.self, UserCommand.self, GroupCommand.self, CampaignCommand.self, Demo.self, Bench.self,
            Debug.self,
        ]
    )
}
