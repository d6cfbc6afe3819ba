import Replication

/// The `sku` register (head office writes it): one sellable item and its price. As a change it
/// is a patch — only the fields set are written, a field in `cleared` is written as `null` —
/// and read from a node's merged register it is the SKU's current state.
public struct SKURegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, product, category, specs, barcode
        case price = "price_cents"
        case onShelf = "on_shelf"
        case weightGrams = "weight_grams"
        case lowStock = "low_stock"
    }
    public static let kind = EntityKind.sku
    /// Scheduled prices are fields `price@<ms>`, one per change, so every schedule survives
    /// the merge (sync/PROTOCOL.md, "Scheduled prices").
    public static let scheduledPricePrefix = "price@"
    /// A warehouse's own low-stock threshold is field `low_stock@<warehouse>`.
    public static let lowStockPrefix = "low_stock@"

    public var name: String?
    /// The base price, in effect when no scheduled price has started.
    public var price: Money?
    public var product: String?
    public var category: String?
    /// Off the shelf: cannot be sold (absent means on the shelf).
    public var onShelf: Bool?
    /// Spec values by spec name (`size` → `M`).
    public var specs: [String: String]?
    public var barcode: String?
    public var weightGrams: Int64?
    /// Low-stock threshold for every warehouse without its own.
    public var lowStock: Int64?
    /// Low-stock thresholds by warehouse.
    public var lowStockAt: [String: Int64]
    /// Price changes by the millisecond they take effect.
    public var scheduledPrices: [Int64: Money]
    /// Fields this patch clears (written as `null`).
    public var cleared: Set<Field>

    public init(
        name: String? = nil, price: Money? = nil, product: String? = nil, category: String? = nil, onShelf: Bool? = nil,
        specs: [String: String]? = nil, barcode: String? = nil, weightGrams: Int64? = nil, lowStock: Int64? = nil,
        lowStockAt: [String: Int64] = [:], scheduledPrices: [Int64: Money] = [:], cleared: Set<Field> = []
    ) {
        self.name = name
        self.price = price
        self.product = product
        self.category = category
        self.onShelf = onShelf
        self.specs = specs
        self.barcode = barcode
        self.weightGrams = weightGrams
        self.lowStock = lowStock
        self.lowStockAt = lowStockAt
        self.scheduledPrices = scheduledPrices
        self.cleared = cleared
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        price = try f.optionalInt(.price).map(Money.init(cents:))
        product = try f.optionalString(.product)
        category = try f.optionalString(.category)
        onShelf = try f.optionalBool(.onShelf)
        if let value = f.value(.specs) {
            guard let object = value.objectValue else { throw f.fail(.specs, "must map spec names to values") }
            var specs: [String: String] = [:]
            for (key, v) in object {
                guard let text = v.stringValue else { throw f.fail(.specs, "must map spec names to values") }
                specs[key] = text
            }
            self.specs = specs
        }
        barcode = try f.optionalString(.barcode)
        weightGrams = try f.optionalInt(.weightGrams)
        lowStock = try f.optionalInt(.lowStock)
        scheduledPrices = [:]
        lowStockAt = [:]
        for (key, value) in f.fields where key.hasPrefix(Self.scheduledPricePrefix) {
            guard let at = Int64(key.dropFirst(Self.scheduledPricePrefix.count)), let cents = value.intValue else {
                throw PayloadError(
                    kind: Self.kind, field: key, problem: "must be price@<milliseconds> with a price in fen")
            }
            scheduledPrices[at] = Money(cents: cents)
        }
        for (key, value) in f.fields where key.hasPrefix(Self.lowStockPrefix) && !value.isNull {
            guard let quantity = value.intValue else {
                throw PayloadError(kind: Self.kind, field: key, problem: "must be a quantity")
            }
            lowStockAt[String(key.dropFirst(Self.lowStockPrefix.count))] = quantity
        }
        cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.price, price?.cents)
        f.set(.product, product)
        f.set(.category, category)
        f.set(.onShelf, onShelf)
        f.set(.specs, specs.map { JSONValue.object($0.mapValues(JSONValue.string)) })
        f.set(.barcode, barcode)
        f.set(.weightGrams, weightGrams)
        f.set(.lowStock, lowStock)
        for (warehouse, quantity) in lowStockAt { f.setExtra("\(Self.lowStockPrefix)\(warehouse)", .int(quantity)) }
        for field in cleared { f.set(field, JSONValue.null) }
        for (at, price) in scheduledPrices { f.setExtra("\(Self.scheduledPricePrefix)\(at)", .int(price.cents)) }
    }

    /// The price in effect at `millis`: the latest scheduled price not after it, else the base price.
    public func price(at millis: Int64) -> Money {
        scheduledPrices.filter { $0.key <= millis }.max { $0.key < $1.key }?.value ?? price ?? .zero
    }

    /// The low-stock threshold at `warehouse`: its own, else the SKU's, else none.
    public func lowStockThreshold(at warehouse: String) -> Int64? { lowStockAt[warehouse] ?? lowStock }
}
