import ArgumentParser
import Commerce
import Node
import Storage

struct StockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Stock: receive, adjust, count, show, history.",
        subcommands: [
            Receive.self, Adjust.self, Count.self, Show.self, History.self, Transfer.self, ReceiveTransfer.self,
            Transfers.self, Alerts.self, Threshold.self, Reallocate.self, Warehouse.self,
        ])

    struct Warehouse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Central: add a warehouse of its own (e.g. a cloud warehouse).")
        @OptionGroup var common: CommonOptions
        @Option var add: String
        @Option var name: String?
        func run() throws {
            let node = try common.openNode()
            let id = try attempt { try node.addCentralWarehouse(add, name: name) }
            struct Out: Encodable { let warehouse: String; let owner: String }
            common.emit(Out(warehouse: id, owner: "central"), human: "warehouse \(id) added (central)")
        }
    }

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
            /// One shape however many warehouses hold the SKU: the totals, then each warehouse.
            struct Out: Encodable {
                let sku: String, on_hand: Int64, reserved: Int64, available: Int64, levels: [StockLevelView]
            }
            common.emit(
                Out(
                    sku: sku, on_hand: levels.reduce(0) { $0 + $1.on_hand }, reserved: levels.reduce(0) { $0 + $1.reserved },
                    available: levels.reduce(0) { $0 + $1.available }, levels: levels),
                human: human)
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

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ship stock to another warehouse (in transit until received).")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option var qty: Int64
        @Option(help: "Source warehouse (default: this node's own).") var from: String?
        @Option var to: String
        func run() throws {
            let node = try common.openNode()
            let t = try attempt { try node.transferStock(sku: sku, quantity: qty, from: from, to: to) }
            common.emit(t, human: "transfer \(t.id): \(t.qty) × \(t.sku) \(t.from) → \(t.to), in transit")
        }
    }

    struct ReceiveTransfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive-transfer", abstract: "Record a transfer's arrival (a different --qty is kept as a discrepancy).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(help: "Units that arrived (default: all shipped).") var qty: Int64?
        func run() throws {
            let node = try common.openNode()
            let t = try attempt { try node.receiveTransfer(id: id, quantity: qty) }
            common.emit(t, human: "transfer \(t.id): received \(t.received_qty ?? 0) of \(t.qty) × \(t.sku) at \(t.to)")
        }
    }

    struct Transfers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List transfers (--status in_transit for stock in transit).")
        @OptionGroup var common: CommonOptions
        @Option var status: String?
        func run() throws {
            let node = try common.openNode()
            let ts = try attempt { try node.transfers(status: status) }
            common.emit(
                Listing(key: "transfers", items: ts),
                human: ts.map { "\($0.id)  \($0.qty) × \($0.sku)  \($0.from) → \($0.to)  \($0.status)" }.joined(separator: "\n"))
        }
    }

    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "SKUs below their low-stock threshold.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let alerts = try attempt { try node.stockAlerts() }
            common.emit(
                Listing(key: "alerts", items: alerts),
                human: alerts.isEmpty ? "no SKU is below its threshold"
                    : alerts.map { "\($0.sku) at \($0.warehouse): \($0.available) available, threshold \($0.threshold)" }.joined(separator: "\n"))
        }
    }

    struct Threshold: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Central: set a SKU's low-stock threshold (all warehouses or one).")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option var qty: Int64
        @Option var warehouse: String?
        func run() throws {
            let node = try common.openNode()
            let v = try attempt { try node.setThreshold(sku: sku, quantity: qty, warehouse: warehouse) }
            common.emit(v, human: "\(v.sku): low-stock threshold \(qty)\(warehouse.map { " at \($0)" } ?? "")")
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
