import Replication

// Retail-day benchmark workload generator: pure-Swift port of
// bench/c/workload.h + bench/c/wl_check.c (and bench/py/workload.py).
//
// splitmix64 with fixed seeds; a given (store, order) yields byte-identical rows and
// JSON payloads in C, Python and Swift, so `RetailDayWorkload.checksum(stores:orders:)`
// reproduces the crc32 printed by `wl_check S O` / `python3 workload.py S O`.
//
// Per order: 1 orders row, n order_items rows, n stock_ledger rows, 1 payments row and,
// for orders with a member (~half), 1 points_ledger row; n = 1...5 uniform (mean 3).
// Every one of those row writes also produces one change record
// (origin, seq, hlc, entity, key, op, payload JSON of ~150-190 bytes).

/// Deterministic generator for the retail-day benchmark workload.
///
/// All output is a pure function of the constants below, the store number and the
/// order count; it matches the C (`bench/c/workload.h`) and Python
/// (`bench/py/workload.py`) generators byte for byte.
public struct RetailDayWorkload: Sendable {
    /// Master seed shared by the catalog and every store's order stream.
    public static let seed: UInt64 = 20_261_125
    /// Number of SKUs in the catalog (`WL_N_SKU`).
    public static let skuCount = 2000
    /// Number of categories; the category of a SKU is `sku % categoryCount` (`WL_N_CAT`).
    public static let categoryCount = 50
    /// Number of distinct members (`WL_N_MEMBERS`).
    public static let memberCount = 100_000
    /// Base timestamp, 2025-11-25T08:00:00Z, in milliseconds since the Unix epoch (`WL_BASE_TS`).
    public static let baseTimestampMs: Int64 = 1_764_057_600_000
    /// Maximum number of lines in one order (`WL_MAX_ITEMS`).
    public static let maxLines = 5
    /// Maximum number of change records produced by one order (`WL_MAX_CHANGES`).
    public static let maxChangesPerOrder = 2 + 2 * maxLines + 1
    /// Payment method names; `Order.method` indexes this array (`WL_METHODS`).
    public static let methodNames: [String] = ["cash", "card", "wallet", "qrpay"]

    // MARK: - RNG

    /// splitmix64, identical to `wl_next` / `wl_below` in the C generator.
    public typealias SplitMix64 = Replication.SplitMix64

    /// The RNG of one store's order stream (`wl_store_rng`).
    public static func storeRNG(store: Int) -> SplitMix64 {
        SplitMix64(seed: seed &* 1_000_003 &+ UInt64(truncatingIfNeeded: store))
    }

    // MARK: - Catalog

    /// Unit prices in fen, one per SKU (`wl_catalog`): `100 + below(19900)` each.
    public static func prices() -> [Int] {
        var rng = SplitMix64(seed: seed &* 7 &+ 1)
        var out: [Int] = []
        out.reserveCapacity(skuCount)
        for _ in 0..<skuCount {
            out.append(100 + rng.below(19_900))
        }
        return out
    }

    // MARK: - Orders

    /// One order line.
    public struct Line: Sendable, Equatable {
        /// SKU index in `0..<skuCount`.
        public var sku: Int
        /// Quantity, `1...3`.
        public var qty: Int
        /// Unit price in fen (catalog price of `sku`).
        public var unitPrice: Int

        /// Creates a line.
        public init(sku: Int, qty: Int, unitPrice: Int) {
            self.sku = sku
            self.qty = qty
            self.unitPrice = unitPrice
        }

        /// Line amount in fen: `qty * unitPrice`.
        public var amount: Int { qty * unitPrice }
    }

    /// One point-of-sale order (`wl_order`).
    public struct Order: Sendable, Equatable {
        /// Store number (1-based).
        public var store: Int
        /// Order number within the store (1-based).
        public var number: Int
        /// Order id, `"S%02d-%06d"` of (store, number).
        public var id: String
        /// Member index in `0..<memberCount`, or `nil` for an anonymous sale.
        public var member: Int?
        /// Order lines (1...5).
        public var lines: [Line]
        /// Payment method, an index into `RetailDayWorkload.methodNames` (0...3).
        public var method: Int
        /// Order total in fen (sum of line amounts).
        public var total: Int
        /// Creation timestamp, milliseconds since the Unix epoch.
        public var timestampMs: Int64

        /// Creates an order.
        public init(
            store: Int, number: Int, id: String, member: Int?, lines: [Line],
            method: Int, total: Int, timestampMs: Int64
        ) {
            self.store = store
            self.number = number
            self.id = id
            self.member = member
            self.lines = lines
            self.method = method
            self.total = total
            self.timestampMs = timestampMs
        }

        /// Payment method name (`"cash"`, `"card"`, `"wallet"` or `"qrpay"`).
        public var methodName: String { RetailDayWorkload.methodNames[method] }

        /// Member code `"M%07d"`, or `nil` for an anonymous sale.
        public var memberCode: String? { member.map(RetailDayWorkload.memberCode) }

        /// Cashier code `"C%02d-%d"` of (store, 1 + number % 3).
        public var cashierCode: String {
            "C" + RetailDayWorkload.zeroPadded(store, width: 2) + "-" + String(1 + number % 3)
        }
    }

    /// Order id `"S%02d-%06d"`.
    public static func orderID(store: Int, number: Int) -> String {
        "S" + zeroPadded(store, width: 2) + "-" + zeroPadded(number, width: 6)
    }

    /// SKU code `"SKU-%04d"`.
    public static func skuCode(_ sku: Int) -> String {
        "SKU-" + zeroPadded(sku, width: 4)
    }

    /// SKU display name `"Item %04d"`.
    public static func skuName(_ sku: Int) -> String {
        "Item " + zeroPadded(sku, width: 4)
    }

    /// Member code `"M%07d"`.
    public static func memberCode(_ member: Int) -> String {
        "M" + zeroPadded(member, width: 7)
    }

    /// Generates the next order of a store from `rng` (`wl_gen_order`).
    ///
    /// RNG draw order: line count, member index, member flag, then per line (sku, qty),
    /// then method, then timestamp jitter. The member index is drawn before the flag
    /// even when the flag discards it.
    public static func nextOrder(
        _ rng: inout SplitMix64, store: Int, number: Int, prices: [Int]
    ) -> Order {
        let n = 1 + rng.below(maxLines)
        let m = rng.below(memberCount)  // drawn first, as in C / Python
        let member: Int? = rng.below(2) != 0 ? m : nil
        var lines: [Line] = []
        lines.reserveCapacity(n)
        var total = 0
        for _ in 0..<n {
            let s = rng.below(skuCount)
            let q = 1 + rng.below(3)
            let p = prices[s]
            lines.append(Line(sku: s, qty: q, unitPrice: p))
            total += q * p
        }
        let method = rng.below(4)
        let ts = baseTimestampMs + Int64(number) * 2500 + Int64(rng.below(1000))
        return Order(
            store: store, number: number, id: orderID(store: store, number: number),
            member: member, lines: lines, method: method, total: total, timestampMs: ts)
    }

    /// The first `count` orders of `store`, numbered 1...count (`wl_store_orders`).
    ///
    /// `prices` must be the catalog from `prices()` for output identical to C/Python.
    public static func orders(store: Int, count: Int, prices: [Int]) -> [Order] {
        var rng = storeRNG(store: store)
        var out: [Order] = []
        out.reserveCapacity(max(0, count))
        var number = 1
        while number <= count {
            out.append(nextOrder(&rng, store: store, number: number, prices: prices))
            number += 1
        }
        return out
    }

    // MARK: - JSON payloads (byte-identical to wl_j_* / j_*)

    /// `orders` row payload (`wl_j_order`).
    public static func orderPayload(_ o: Order) -> String {
        var b = ""
        b.reserveCapacity(224)
        b += "{\"id\":\""
        b += o.id
        b += "\",\"store\":"
        b += String(o.store)
        b += ",\"member\":"
        if let m = o.member {
            b += "\"M"
            appendZeroPadded(&b, m, width: 7)
            b += "\""
        } else {
            b += "null"
        }
        b += ",\"status\":\"paid\",\"currency\":\"CNY\",\"total\":"
        b += String(o.total)
        b += ",\"item_count\":"
        b += String(o.lines.count)
        b += ",\"discount\":0,\"channel\":\"pos\",\"cashier\":\"C"
        appendZeroPadded(&b, o.store, width: 2)
        b += "-"
        b += String(1 + o.number % 3)
        b += "\",\"created_at\":"
        b += String(o.timestampMs)
        b += "}"
        return b
    }

    /// `order_items` row payload for line index `line` (0-based) (`wl_j_item`).
    public static func itemPayload(_ o: Order, line l: Int) -> String {
        let x = o.lines[l]
        var b = ""
        b.reserveCapacity(224)
        b += "{\"order_id\":\""
        b += o.id
        b += "\",\"line\":"
        b += String(l + 1)
        b += ",\"sku\":\"SKU-"
        appendZeroPadded(&b, x.sku, width: 4)
        b += "\",\"category\":"
        b += String(x.sku % categoryCount)
        b += ",\"name\":\"Item "
        appendZeroPadded(&b, x.sku, width: 4)
        b += "\",\"qty\":"
        b += String(x.qty)
        b += ",\"unit_price\":"
        b += String(x.unitPrice)
        b += ",\"amount\":"
        b += String(x.qty * x.unitPrice)
        b += ",\"discount\":0,\"tax_rate\":13,\"created_at\":"
        b += String(o.timestampMs)
        b += "}"
        return b
    }

    /// `stock_ledger` row payload for line index `line` (0-based) (`wl_j_stock`).
    public static func stockPayload(_ o: Order, line l: Int) -> String {
        let x = o.lines[l]
        var b = ""
        b.reserveCapacity(224)
        b += "{\"id\":\""
        b += o.id
        b += "#"
        b += String(l + 1)
        b += "\",\"store\":"
        b += String(o.store)
        b += ",\"warehouse\":\"W"
        appendZeroPadded(&b, o.store, width: 2)
        b += "\",\"sku\":\"SKU-"
        appendZeroPadded(&b, x.sku, width: 4)
        b += "\",\"delta\":"
        b += String(-x.qty)
        b += ",\"reason\":\"sale\",\"ref_type\":\"order\",\"ref_id\":\""
        b += o.id
        b += "\",\"created_at\":"
        b += String(o.timestampMs)
        b += "}"
        return b
    }

    /// `payments` row payload (`wl_j_payment`).
    public static func paymentPayload(_ o: Order) -> String {
        var b = ""
        b.reserveCapacity(224)
        b += "{\"id\":\"PAY-"
        b += o.id
        b += "\",\"order_id\":\""
        b += o.id
        b += "\",\"method\":\""
        b += o.methodName
        b += "\",\"amount\":"
        b += String(o.total)
        b += ",\"currency\":\"CNY\",\"status\":\"captured\",\"terminal\":\"T"
        appendZeroPadded(&b, o.store, width: 2)
        b += "-1\",\"created_at\":"
        b += String(o.timestampMs)
        b += "}"
        return b
    }

    /// `points_ledger` row payload (`wl_j_points`); `nil` for an order without a member.
    public static func pointsPayload(_ o: Order) -> String? {
        guard let m = o.member else { return nil }
        var b = ""
        b.reserveCapacity(224)
        b += "{\"id\":\"PTS-"
        b += o.id
        b += "\",\"member\":\"M"
        appendZeroPadded(&b, m, width: 7)
        b += "\",\"kind\":\"earn\",\"delta\":"
        b += String(o.total / 100)
        b += ",\"reason\":\"order\",\"ref_type\":\"order\",\"ref_id\":\""
        b += o.id
        b += "\",\"store\":"
        b += String(o.store)
        b += ",\"created_at\":"
        b += String(o.timestampMs)
        b += "}"
        return b
    }

    // MARK: - Change records

    /// Entity (table) of a change record; raw values are the C `WL_ENTITY` names.
    public enum Entity: String, Sendable, CaseIterable {
        /// `orders` row.
        case orders
        /// `order_items` row.
        case orderItems = "order_items"
        /// `stock_ledger` row.
        case stockLedger = "stock_ledger"
        /// `payments` row.
        case payments
        /// `points_ledger` row.
        case pointsLedger = "points_ledger"
    }

    /// One change record (`wl_change`); the op is always `"I"` (insert).
    public struct Change: Sendable, Equatable {
        /// Per-store sequence number (1-based, dense).
        public var seq: Int64
        /// Hybrid logical clock stamp: `(timestampMs << 16) | k`, k = index within the order.
        public var hlc: Int64
        /// Entity written.
        public var entity: Entity
        /// 1-based item line for `orderItems` / `stockLedger`, 0 otherwise.
        public var line: Int
        /// Row key: the order id, or `"<order id>#<line>"` for item and stock rows.
        public var key: String
        /// JSON payload.
        public var payload: String

        /// Creates a change record.
        public init(seq: Int64, hlc: Int64, entity: Entity, line: Int, key: String, payload: String) {
            self.seq = seq
            self.hlc = hlc
            self.entity = entity
            self.line = line
            self.key = key
            self.payload = payload
        }
    }

    /// The change records of one order in write order (`wl_changes`).
    ///
    /// `seq` is the last sequence number used by the store and is advanced by the
    /// number of records returned.
    public static func changes(of o: Order, seq: inout Int64) -> [Change] {
        var out: [Change] = []
        out.reserveCapacity(3 + 2 * o.lines.count)
        var k: Int64 = 0
        func add(_ entity: Entity, _ line: Int, _ key: String, _ payload: String) {
            seq += 1
            out.append(
                Change(
                    seq: seq, hlc: (o.timestampMs << 16) | k, entity: entity, line: line,
                    key: key, payload: payload))
        }
        add(.orders, 0, o.id, orderPayload(o))
        for l in o.lines.indices {
            let key = o.id + "#" + String(l + 1)
            k += 1
            add(.orderItems, l + 1, key, itemPayload(o, line: l))
            k += 1
            add(.stockLedger, l + 1, key, stockPayload(o, line: l))
        }
        k += 1
        add(.payments, 0, o.id, paymentPayload(o))
        if let p = pointsPayload(o) {
            k += 1
            add(.pointsLedger, 0, o.id, p)
        }
        return out
    }

    // MARK: - Checksum (wl_check)

    /// Aggregate of a workload run, as printed by `wl_check`.
    public struct Summary: Sendable, Equatable {
        /// Number of change records.
        public var changes: Int
        /// Total payload bytes (UTF-8) over all change records.
        public var payloadBytes: Int
        /// Number of orders with a member.
        public var memberOrders: Int
        /// crc32 (zlib polynomial) over every `"%d|%lld|%lld|%s|%s|%s|%s\n"` change line.
        public var crc32: UInt32

        /// Creates a summary.
        public init(changes: Int, payloadBytes: Int, memberOrders: Int, crc32: UInt32) {
            self.changes = changes
            self.payloadBytes = payloadBytes
            self.memberOrders = memberOrders
            self.crc32 = crc32
        }
    }

    /// The change-log line hashed by `wl_check`:
    /// `"origin|seq|hlc|entity|key|I|payload\n"`.
    public static func changeLine(origin: Int, _ c: Change) -> String {
        var line = ""
        line.reserveCapacity(c.payload.utf8.count + 64)
        line += String(origin)
        line += "|"
        line += String(c.seq)
        line += "|"
        line += String(c.hlc)
        line += "|"
        line += c.entity.rawValue
        line += "|"
        line += c.key
        line += "|I|"
        line += c.payload
        line += "\n"
        return line
    }

    /// Reproduces `wl_check S O`: generates `orders` orders for each of stores 1...`stores`
    /// and hashes every change line.
    public static func checksum(stores: Int, orders count: Int) -> Summary {
        let catalog = prices()
        var crc: UInt32 = 0
        var nrows = 0
        var nbytes = 0
        var members = 0
        var s = 1
        while s <= stores {
            var seq: Int64 = 0
            for o in orders(store: s, count: count, prices: catalog) {
                if o.member != nil { members += 1 }
                for c in changes(of: o, seq: &seq) {
                    crc = crc32(changeLine(origin: s, c), continuing: crc)
                    nrows += 1
                    nbytes += c.payload.utf8.count
                }
            }
            s += 1
        }
        return Summary(changes: nrows, payloadBytes: nbytes, memberOrders: members, crc32: crc)
    }

    // MARK: - CRC-32

    private static let crcTable: [UInt32] = (0..<256).map { (i: UInt32) -> UInt32 in
        var c = i
        for _ in 0..<8 {
            c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1
        }
        return c
    }

    /// crc32 (zlib / IEEE 802.3) of the UTF-8 bytes of `string`, continuing from `crc`
    /// (pass the previous result to hash a concatenation; start with 0).
    public static func crc32(_ string: String, continuing crc: UInt32 = 0) -> UInt32 {
        var s = string
        return s.withUTF8 { crc32(UnsafeRawBufferPointer($0), continuing: crc) }
    }

    /// crc32 (zlib / IEEE 802.3) of `bytes`, continuing from `crc` (`wl_crc32`).
    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        crcTable.withUnsafeBufferPointer { table in
            var c = ~crc
            for b in bytes {
                c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8)
            }
            return ~c
        }
    }

    // MARK: - Formatting helpers

    /// `value` formatted like C `%0<width>d` (sign first, then zero-padded digits).
    public static func zeroPadded(_ value: Int, width: Int) -> String {
        var s = ""
        appendZeroPadded(&s, value, width: width)
        return s
    }

    @inline(__always)
    static func appendZeroPadded(_ out: inout String, _ value: Int, width: Int) {
        let digits = String(value.magnitude)
        var fill = width - digits.utf8.count
        if value < 0 {
            out += "-"
            fill -= 1
        }
        while fill > 0 {
            out += "0"
            fill -= 1
        }
        out += digits
    }
}
