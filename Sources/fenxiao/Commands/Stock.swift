import ArgumentParser
import Commerce
import Node
import Storage

struct StockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Stock: receive, adjust, count, show, history.",
        subcommands: [Receive.self, Adjust.self, Count.self, Show.self, History.self, Reallocate.self])

    struct Movement: ParsableArguments {
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option(help: "Quantity (signed for adjust).") var qty: Int64
        @Option(help: "Warehouse (default: this node's own).") var warehouse: String?
        @Option(help: "Free text: supplier, reason…") var reason: String?

        func record(_ kind: StockReason) throws {
            let node = try common.openNode()
            let level = try attempt {
                try node.moveStock(sku: sku, quantity: qty, reason: kind, warehouse: warehouse, note: reason)
            }
            common.emit(level, human: "\(level.sku) at \(level.warehouse): on hand \(level.on_hand), available \(level.available)")
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Receive goods (purchase) into a warehouse.")
        @OptionGroup var m: Movement
        func run() throws { try m.record(.receive) }
    }

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Adjust stock by a signed quantity (damage, loss…).")
        @OptionGroup var m: Movement
        func run() throws { try m.record(.adjust) }
    }

    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a stock count: the balance as of now; later sales apply on top.")
        @OptionGroup var m: Movement
        func run() throws { try m.record(.count) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a SKU's stock per warehouse.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        func run() throws {
            let node = try common.openNode()
            let levels = try attempt { try node.stockLevels(sku: sku) }
            let human = levels.map { "\($0.sku) at \($0.warehouse): on hand \($0.on_hand), reserved \($0.reserved), available \($0.available)" }
                .joined(separator: "\n")
            if common.json {
                if levels.count == 1, let l = levels.first {
                    common.emit(l, human: human)
                } else {
                    common.emit(Listing(key: "levels", items: levels), human: human)
                }
            } else {
                print(human)
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The in/out records of a SKU.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        func run() throws {
            let node = try common.openNode()
            let moves = try attempt { try node.stockHistory(sku: sku) }
            common.emit(
                Listing(key: "moves", items: moves),
                human: moves.map { "\($0.warehouse)  \($0.reason)  \($0.qty > 0 ? "+" : "")\($0.qty)  \($0.ref ?? "")  (\($0.origin))" }
                    .joined(separator: "\n"))
        }
    }

    struct Reallocate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Central: re-allocate reservations displaced by merged counter sales, or back-order them.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let done = try attempt { try node.reallocateDisplaced() }
            common.emit(Listing(key: "resolved", items: done), human: done.map { "\($0.id): \($0.note ?? "")" }.joined(separator: "\n"))
        }
    }
}
