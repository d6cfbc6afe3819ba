extension LineRequest {
    /// `quantity` units of `sku`, read as a cashier types it: `.line("TEA-01", 2)` is `TEA-01:2`.
    /// (Tests, the demo and benches build carts with it; faces parse their input instead.)
    public static func line(_ sku: String, _ quantity: Int64 = 1) -> LineRequest {
        LineRequest(sku: sku, quantity: quantity)
    }
}
