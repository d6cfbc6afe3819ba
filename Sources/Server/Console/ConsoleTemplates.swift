import Mustache

/// The console's Mustache templates, embedded in the binary (SwiftPM `.embedInCode`), parsed
/// once. `{{value}}` escapes HTML; only `{{{body}}}` and `{{{chart}}}` take markup, which the
/// console itself built from escaped values.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let sources: [(String, [UInt8])] = [
            ("layout", PackageResources.layout_mustache), ("login", PackageResources.login_mustache),
            ("message", PackageResources.message_mustache), ("dashboard", PackageResources.dashboard_mustache),
            ("conflicts", PackageResources.conflicts_mustache),
            ("applications", PackageResources.applications_mustache),
            ("withdrawals", PackageResources.withdrawals_mustache),
            ("products", PackageResources.products_mustache), ("product", PackageResources.product_mustache),
            ("product_new", PackageResources.product_new_mustache),
            ("categories", PackageResources.categories_mustache),
            ("marketing", PackageResources.marketing_mustache),
            ("inventory", PackageResources.inventory_mustache),
            ("inventory_history", PackageResources.inventory_history_mustache),
            ("orders", PackageResources.orders_mustache), ("order", PackageResources.order_mustache),
            ("refunds", PackageResources.refunds_mustache),
            ("table", PackageResources.table_mustache), ("reports", PackageResources.reports_mustache),
            ("members", PackageResources.members_mustache), ("member", PackageResources.member_mustache),
            ("distributors", PackageResources.distributors_mustache),
            ("distributor", PackageResources.distributor_mustache),
            ("commissions", PackageResources.commissions_mustache),
        ]
        for (name, bytes) in sources {
            // The templates ship in the binary and a test renders each; a broken one is a build bug.
            try? library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        return library
    }()

    /// `name` rendered with `context` (empty when the template is missing, which a test rules out).
    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
