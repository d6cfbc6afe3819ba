/// What a campaign message is about (the webhook consumer picks its template by it).
public enum CampaignKind: String, Sendable, Codable, CaseIterable {
    /// Win back dormant members.
    case recall
    /// Birthday wishes.
    case birthday
    /// A promotion.
    case promotion
    /// New products.
    case newProducts = "new_products"
}
