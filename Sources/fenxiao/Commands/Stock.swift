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

    struct Warehouse: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "warehouse",
            abstract: "Central: add a warehouse of its own (e.g. a cloud warehouse).")
        @OptionGroup var common: CommonOptions
        @Option var add: String
        @Option var name: String?
        struct Out: Encodable { let warehouse: String; let owner: String }
        func run(on node: FenxiaoNode) throws -> Out {
            Out(warehouse: try node.inventory.addCentralWarehouse(add, name: name), owner: "central")
        }
        func human(_ out: Out) -> String { "warehouse \(out.warehouse) added (central)" }
    }

    struct Movement: ParsableArguments {
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option(parsing: .unconditional, help: "Quantity (signed for adjust: --qty -1).") var qty: Int64
        @Option(help: "Warehouse (default: this node's own).") var warehouse: String?
        @Option(help: "Free text: supplier, reason…") var reason: String?

        func record(_ kind: StockReason, on node: FenxiaoNode) throws -> StockLevelView {
            try node.inventory.move(sku: sku, quantity: qty, reason: kind, warehouse: warehouse, note: reason)
        }
    }

    /// A stock movement of one reason: prints the SKU's level after it.
    protocol MovementCommand: NodeCommand where Output == StockLevelView {
        var m: Movement { get }
        static var reason: StockReason { get }
    }

    struct Receive: MovementCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive", abstract: "Receive goods (purchase) into a warehouse.")
        static let reason = StockReason.receive
        @OptionGroup var m: Movement
    }

    struct Adjust: MovementCommand {
        static let configuration = CommandConfiguration(
            commandName: "adjust", abstract: "Adjust stock by a signed quantity (damage, loss…).")
        static let reason = StockReason.adjust
        @OptionGroup var m: Movement
    }

    struct Count: MovementCommand {
        static let configuration = CommandConfiguration(
            commandName: "count",
            abstract: "Record a stock count: the balance as of now; later sales apply on top.")
        static let reason = StockReason.count
        @OptionGroup var m: Movement
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a SKU's stock per warehouse.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        /// One shape however many warehouses hold the SKU: the totals, then each warehouse.
        struct Out: Encodable {
            let sku: String, on_hand: Int64, reserved: Int64, available: Int64, levels: [StockLevelView]
        }
        func run(on node: FenxiaoNode) throws -> Out {
            let levels = try node.inventory.levels(sku: sku)
            return Out(
                sku: sku, on_hand: levels.reduce(0) { $0 + $1.on_hand },
                reserved: levels.reduce(0) { $0 + $1.reserved },
                available: levels.reduce(0) { $0 + $1.available }, levels: levels)
        }
        func human(_ out: Out) -> String {
            out.levels.map {
                "\($0.sku) at \($0.warehouse): on hand \($0.on_hand), reserved \($0.reserved), available \($0.available)"
            }
            .joined(separator: "\n")
        }
    }

    struct History: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "The in/out records of a SKU.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        func run(on node: FenxiaoNode) throws -> Listing<StockMoveView> {
            Listing(key: "moves", items: try node.inventory.history(sku: sku))
        }
        func human(_ moves: Listing<StockMoveView>) -> String {
            moves.items.map {
                "\($0.warehouse)  \($0.reason)  \($0.qty > 0 ? "+" : "")\($0.qty)  \($0.ref ?? "")  (\($0.origin))"
            }
            .joined(separator: "\n")
        }
    }

    struct Transfer: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer",
            abstract: "Ship stock to another warehouse (in transit until received).")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option(parsing: .unconditional) var qty: Int64
        @Option(help: "Source warehouse (default: this node's own).") var from: String?
        @Option var to: String
        func run(on node: FenxiaoNode) throws -> TransferView {
            try node.inventory.transfer(sku: sku, quantity: qty, from: from, to: to)
        }
        func human(_ t: TransferView) -> String {
            "transfer \(t.id): \(t.qty) × \(t.sku) \(t.from) → \(t.to), in transit"
        }
    }

    struct ReceiveTransfer: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive-transfer",
            abstract: "Record a transfer's arrival (a different --qty is kept as a discrepancy).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(parsing: .unconditional, help: "Units that arrived (default: all shipped).") var qty: Int64?
        func run(on node: FenxiaoNode) throws -> TransferView {
            try node.inventory.receiveTransfer(id: id, quantity: qty)
        }
        func human(_ t: TransferView) -> String {
            "transfer \(t.id): received \(t.received_qty ?? 0) of \(t.qty) × \(t.sku) at \(t.to)"
        }
    }

    struct Transfers: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfers",
            abstract: "List transfers (--status in_transit for stock in transit).")
        @OptionGroup var common: CommonOptions
        @Option(help: "in_transit or received.") var status: TransferRegister.Status?
        func run(on node: FenxiaoNode) throws -> Listing<TransferView> {
            Listing(key: "transfers", items: try node.inventory.transfers(status: status))
        }
        func human(_ ts: Listing<TransferView>) -> String {
            ts.items.map { "\($0.id)  \($0.qty) × \($0.sku)  \($0.from) → \($0.to)  \($0.status)" }.joined(
                separator: "\n")
        }
    }

    struct Alerts: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts", abstract: "SKUs below their low-stock threshold.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<StockAlert> {
            Listing(key: "alerts", items: try node.inventory.alerts())
        }
        func human(_ alerts: Listing<StockAlert>) -> String {
            alerts.items.isEmpty
                ? "no SKU is below its threshold"
                : alerts.items.map {
                    "\($0.sku) at \($0.warehouse): \($0.available) available, threshold \($0.threshold)"
                }
                .joined(separator: "\n")
        }
    }

    struct Threshold: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "threshold",
            abstract: "Central: set a SKU's low-stock threshold (all warehouses or one).")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option(parsing: .unconditional) var qty: Int64
        @Option var warehouse: String?
        func run(on node: FenxiaoNode) throws -> SKUView {
            try node.inventory.setThreshold(sku: sku, quantity: qty, warehouse: warehouse)
        }
        func human(_ v: SKUView) -> String {
            "\(v.sku): low-stock threshold \(qty)\(warehouse.map { " at \($0)" } ?? "")"
        }
    }

    struct Reallocate: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "reallocate",
            abstract: "Central: re-allocate reservations displaced by merged counter sales, or back-order them.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<ConflictView> {
            Listing(key: "resolved", items: try node.inventory.reallocateDisplaced())
        }
        func human(_ done: Listing<ConflictView>) -> String {
            done.items.map { "\($0.id): \($0.note ?? "")" }.joined(separator: "\n")
        }
    }
}

extension StockCommand.MovementCommand {
    var common: CommonOptions { m.common }
    func run(on node: FenxiaoNode) throws -> StockLevelView { try m.record(Self.reason, on: node) }
    func human(_ level: StockLevelView) -> String {
        "\(level.sku) at \(level.warehouse): on hand \(level.on_hand), available \(level.available)"
    }
}
