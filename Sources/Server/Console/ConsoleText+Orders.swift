extension ConsoleText {
    /// Words of the inventory, orders and after-sale screens.
    static let ordersArea: Entries = [:]
}
