import ArgumentParser
import Foundation
import Node
import SyncClient

/// Tools for tests and operators; hidden from the main help.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Diagnostics: consistency check, order stream (optionally syncing) for crash tests.",
        shouldDisplay: false,
        subcommands: [Check.self, SellStream.self, WriteRulesTable.self])

    struct Check: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Check that every row has its change and vice versa.")
        @OptionGroup var common: CommonOptions
        struct Out: Encodable { let consistent: Bool; let problems: [String] }
        func run(on node: FenxiaoNode) throws -> Out {
            let problems = try node.read { try $0.consistencyProblems() }
            try node.store.quickCheck()
            return Out(consistent: problems.isEmpty, problems: problems)
        }
        func human(_ out: Out) -> String { out.consistent ? "consistent" : out.problems.joined(separator: "\n") }
        /// Problems found exit 1 (after they are printed).
        func finish(_ out: Out) throws {
            if !out.consistent { throw ExitCode(1) }
        }
    }

    /// Prints the per-kind write rules and limits table (the one in sync/PROTOCOL.md).
    struct WriteRulesTable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write-rules",
            abstract: "Print the table of what a store may write, with every bound (Markdown).")
        func run() throws { print(WriteRules.markdown(), terminator: "") }
    }

    /// Sells a stream of orders, printing each committed order id on its own line (after the
    /// commit, so a printed id is an acknowledged order). With `--sync-every N` it also syncs
    /// with central after every N orders, like `fenxiao sync`; a failed sync is reported on a
    /// `#` line and the stream goes on (the changes go with a later sync). Crash and fault
    /// tests run it as a child and kill it with -9 at any point.
    struct SellStream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sell-stream",
            abstract:
                "Sell one unit of SKU per line, three lines per order, N orders, printing each committed order id.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option var count: Int = 1000
        @Option(name: .customLong("sync-every"), help: "Sync with central after every N orders (0: never).")
        var syncEvery = 0
        @Option(name: .customLong("sync-timeout-ms"), help: "Per-request timeout of those syncs.")
        var syncTimeoutMillis = 2000
        @Option(name: .customLong("pause-ms"), help: "Pause between orders, to pace the stream.") var pauseMillis = 0

        func validate() throws {
            guard count >= 0, syncEvery >= 0, pauseMillis >= 0 else {
                throw ValidationError("counts and durations must not be negative")
            }
            guard (100...60_000).contains(syncTimeoutMillis) else {
                throw ValidationError("--sync-timeout-ms must be 100…60000")
            }
        }

        func run() async throws {
            let node = try common.openNode()
            let link = syncEvery > 0 ? try attempt { try SyncRunner.link(of: node) } : nil
            for n in 0..<count {
                let o = try attempt {
                    try node.orders.create(
                        OrderRequest(lines: [.line(sku, 1), .line(sku, 1), .line(sku, 1)], pay: .cash))
                }
                FileHandle.standardOutput.write(Data("\(o.id)\n".utf8))
                if let link, (n + 1) % syncEvery == 0 { await sync(node, link) }
                if pauseMillis > 0 { try await Task.sleep(nanoseconds: UInt64(pauseMillis) * 1_000_000) }
            }
        }

        /// One sync with a few quick retries; the outcome goes on a `#` line.
        func sync(_ node: FenxiaoNode, _ link: CentralLink) async {
            let line: String
            do {
                let runner = try SyncRunner(
                    node: node, link: link,
                    configuration: .init(batchSize: 50, maxAttempts: 4, baseDelayMillis: 5, maxDelayMillis: 40),
                    timeoutMillis: syncTimeoutMillis)
                let s = try await runner.run()
                line = "# sync ok pushed=\(s.pushed) pulled=\(s.pulled) retries=\(s.retries)"
            } catch {
                line = "# sync failed: \(NodeError.wrap(error).message)"
            }
            FileHandle.standardOutput.write(Data("\(line)\n".utf8))
        }
    }
}
