/// The business bounds of every value a node writes: one table, used by central's push check
/// (`PushCheck`), by every local use case (through `WriteRules`, before a change is written)
/// and by the docs (`sync/PROTOCOL.md`, generated from ``WriteRules/markdown()``). The same
/// numbers everywhere, so an honest store can never write a change central will refuse.
public enum Limits {
    /// Units on one order line, one stock movement, one transfer.
    public static let maxQuantity: Int64 = 1_000_000
    /// One unit price, in fen (¥10,000,000).
    public static let maxUnitCents: Int64 = 1_000_000_000
    /// One amount of money (an order total, a payment, a refund, a coupon's discount), in fen
    /// (¥1,000,000,000).
    public static let maxAmountCents: Int64 = 100_000_000_000
    /// One points or stored-value ledger entry (points, or fen).
    public static let maxLedgerDelta: Int64 = 100_000_000
    /// One stored-value top-up, in fen (¥50,000), as the PBOC caps anonymous prepaid cards.
    public static let maxTopupCents: Int64 = 5_000_000
    /// A line number within an order.
    public static let maxLines: Int64 = 1_000
    /// A timestamp in ms since 1970 (up to 2100-01-01).
    public static let maxMillis: Int64 = 4_102_444_800_000
    /// Names (a member's, a product line's).
    public static let maxNameBytes = 200
    /// Short codes and ids referenced by a field (a member, an order, a SKU).
    public static let maxIDBytes = 128
    /// Free text: notes, reasons, references, addresses.
    public static let maxNoteBytes = 1_000
    /// Any other string field.
    public static let maxStringBytes = 4_096
    /// How deeply a field value may nest.
    public static let maxDepth = 8
    /// An entity id.
    public static let maxEntityBytes = 256
}
