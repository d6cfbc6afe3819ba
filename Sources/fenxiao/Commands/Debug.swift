import ArgumentParser
import Foundation
import Node

/// Tools for tests and operators; hidden from the main help.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnostics: consistency check, order stream for crash tests.", shouldDisplay: false,
        subcommands: [Check.self, SellStream.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that every row has its change and vice versa.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let problems = try attempt { try node.read { try $0.consistencyProblems() } }
            try attempt { try node.store.quickCheck() }
            struct Out: Encodable { let consistent: Bool; let problems: [String] }
            common.emit(Out(consistent: problems.isEmpty, problems: problems), human: problems.isEmpty ? "consistent" : problems.joined(separator: "\n"))
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct SellStream: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sell-stream", abstract: "Sell one unit of SKU per order, N times, printing each committed order id.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option var count: Int = 1000
        func run() throws {
            let node = try common.openNode()
            for _ in 0..<count {
                let o = try attempt { try node.createOrder(OrderRequest(lines: ["\(sku):1", "\(sku):1", "\(sku):1"], pay: "cash")) }
                FileHandle.standardOutput.write(Data("\(o.id)\n".utf8))
            }
        }
    }
}
