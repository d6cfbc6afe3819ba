import Mustache

/// The mall's Mustache templates, embedded in the binary (SwiftPM `.embedInCode`), parsed once.
/// `{{value}}` escapes HTML; only `{{{body}}}` takes markup, which the mall built from escaped values.
enum MallTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let sources: [(String, [UInt8])] = [
            ("mall_layout", PackageResources.mall_layout_mustache),
            ("mall_login", PackageResources.mall_login_mustache),
            ("mall_me", PackageResources.mall_me_mustache), ("mall_message", PackageResources.mall_message_mustache),
            ("mall_shop_home", PackageResources.mall_shop_home_mustache),
            ("mall_shop_categories", PackageResources.mall_shop_categories_mustache),
            ("mall_shop_list", PackageResources.mall_shop_list_mustache),
            ("mall_product", PackageResources.mall_product_mustache),
            ("mall_cart", PackageResources.mall_cart_mustache),
            ("mall_checkout", PackageResources.mall_checkout_mustache),
            ("mall_addresses", PackageResources.mall_addresses_mustache),
            ("mall_shop_item", PackageResources.mall_shop_item_mustache),
            ("mall_cart_explain", PackageResources.mall_cart_explain_mustache),
            ("mall_order_list", PackageResources.mall_order_list_mustache),
            ("mall_order", PackageResources.mall_order_mustache),
            ("mall_order_pay", PackageResources.mall_order_pay_mustache),
            ("mall_pay_sandbox", PackageResources.mall_pay_sandbox_mustache),
            ("mall_checkin", PackageResources.mall_checkin_mustache),
            ("mall_points", PackageResources.mall_points_mustache),
            ("mall_coupons", PackageResources.mall_coupons_mustache),
            ("mall_level", PackageResources.mall_level_mustache),
            ("mall_wallet", PackageResources.mall_wallet_mustache),
            // The distributor pages.
            ("mall_distributor", PackageResources.mall_distributor_mustache),
            ("mall_distributor_link", PackageResources.mall_distributor_link_mustache),
            ("mall_distributor_team", PackageResources.mall_distributor_team_mustache),
            ("mall_distributor_commissions", PackageResources.mall_distributor_commissions_mustache),
            ("mall_distributor_statement", PackageResources.mall_distributor_statement_mustache),
            ("mall_distributor_withdraw", PackageResources.mall_distributor_withdraw_mustache),
        ]
        for (name, bytes) in sources {
            // The templates ship in the binary and the tests render each; a broken one is a build bug.
            try? library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        return library
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
