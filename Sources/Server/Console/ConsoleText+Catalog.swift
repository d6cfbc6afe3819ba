extension ConsoleText {
    /// Words of the products, prices, categories, promotions and coupons screens.
    static let catalogArea: Entries = [:]
}
