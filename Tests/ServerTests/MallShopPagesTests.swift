import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Replication
import Server
import Storage
import Testing

/// The shop's pages over HTTP: home, categories, search, the product page (price with the flash
/// sale, SKU choice, online stock, same-origin images only, share and promote when signed in),
/// the cart with the pricing engine's explanation, bad input refused with nothing changed, and
/// the address book.
@Suite struct MallShopPagesTests {
    @Test func aGuestBrowsesHomeCategoriesSearchAndAProduct() async throws {
        let dir = TempDirectory("mallshop")
        defer { dir.remove() }
        let central = try MallShopping.make(dir, clock: ManualClock())
        try await mallApp(central).test(.router) { client in
            let browser = MallBrowser(client: client)
            #expect(try await browser.get("/mall").location == "/mall/shop")
            let home = try await browser.get("/mall/shop")
            #expect(home.status == .ok)
            #expect(home.body.contains(#"id="promo-FLASH""#) && home.body.contains(#"id="promo-MJ""#))
            #expect(home.body.contains(#"id="product-TEA-01""#) && home.body.contains(#"id="q""#))
            let tree = try await browser.get("/mall/categories")
            #expect(tree.body.contains("/mall/categories?category=Drinks"))
            let drinks = try await browser.get("/mall/categories?category=Drinks")
            #expect(drinks.body.contains(#"id="product-TEA-01""#) && !drinks.body.contains(#"id="product-BUN-01""#))
            let found = try await browser.get("/mall/search?q=bun")
            #expect(found.body.contains(#"id="product-BUN-01""#) && !found.body.contains(#"id="product-TEA-01""#))
            #expect(try await browser.get("/mall/search?q=" + String(repeating: "x", count: 65)).status == .badRequest)

            let tea = try await browser.get("/mall/products/TEA-01")
            #expect(tea.status == .ok)
            #expect(MallShopping.text("price", in: tea.body) == "9.90")
            #expect(tea.body.contains(#"name="sku" value="TEA-01""#) && tea.body.contains("¥12.50"))
            #expect(tea.body.contains(#"src="/mall/img/tea.png""#) && !tea.body.contains("cdn.example.com"))
            #expect(MallShopping.text("stock", in: tea.body) == "有货")
            #expect(tea.body.contains(#"id="qty""#) && tea.body.contains(#"id="add-to-cart""#))
            #expect(tea.body.contains(#"id="buy-now""#) && !tea.body.contains(#"id="share""#))
            #expect(MallShopping.text("stock", in: try await browser.get("/mall/products/BUN-01").body) == "库存紧张")
            #expect(MallShopping.text("stock", in: try await browser.get("/mall/products/MUG-01").body) == "已售罄")
            #expect(try await browser.get("/mall/products/NOPE").status == .notFound)
            // Adding needs a member: the login page, coming back to the product.
            let add = try await browser.post(
                "/mall/cart/add", [("product", "TEA-01"), ("sku", "TEA-01"), ("qty", "1")])
            #expect(add.location == "/mall/login?next=%2Fmall%2Fproducts%2FTEA-01")
            #expect(try await browser.get("/mall/cart").location?.hasPrefix("/mall/login?next=") == true)
        }
    }

    @Test func aMemberSeesShareAndPromoteAndTheCartExplainsThePrice() async throws {
        try await MallShopping.withAnn { browser, central, _ in
            let tea = try await browser.get("/mall/products/TEA-01")
            #expect(tea.body.contains(#"id="share""#) && tea.body.contains(#"action="/mall/share""#))
            #expect(tea.body.contains(#"id="promote" href="/mall/distributor/link?product=TEA-01""#))
            #expect(try await MallShopping.add(browser, "TEA-01", 2, product: "TEA-01").location == "/mall/cart")
            let cart = try await browser.get("/mall/cart")
            #expect(MallShopping.text("cart-total", in: cart.body) == "27.80")
            #expect(cart.body.contains("-¥5.20"))
            #expect(cart.body.contains("再买 ¥30.20 可减 ¥5.00"))
            #expect(cart.body.contains("运费 ¥8.00"))
            #expect(cart.body.contains("本单最多可用 120 积分"))
            #expect(cart.body.contains(#"id="checkout""#))
            // 3 more: ¥49.50 still under ¥50 (the flash price is the threshold base).
            _ = try await MallShopping.add(browser, "TEA-01", 3, product: "TEA-01")
            #expect(try central.selfService(member: "A").cart().map(\.quantity) == [5])
            let csrf = try await browser.csrf()
            _ = try await browser.post("/mall/cart/update", [("csrf", csrf), ("sku", "TEA-01"), ("qty", "6")])
            // ¥59.40 reaches 满50减5: ¥54.40 + ¥8.
            let six = try await browser.get("/mall/cart")
            #expect(MallShopping.text("cart-total", in: six.body) == "62.40")
            #expect(six.body.contains("促销 MJ"))
            // Buy now: into the cart and on to checkout.
            let now = try await browser.post(
                "/mall/cart/add",
                [("csrf", csrf), ("product", "BUN-01"), ("sku", "BUN-01"), ("qty", "1"), ("buy", "now")])
            #expect(now.location == "/mall/checkout")
            _ = try await browser.post("/mall/cart/update", [("csrf", csrf), ("sku", "BUN-01"), ("remove", "1")])
            #expect(try central.selfService(member: "A").cart().map(\.sku) == ["TEA-01"])
        }
    }

    @Test(arguments: [
        ("TEA-01", "0", HTTPResponse.Status.badRequest), ("TEA-01", "abc", .badRequest),
        ("TEA-01", "1000", .badRequest),
        ("TEA-01", "-1", .badRequest), ("NOPE-9", "1", .notFound), ("bad sku!", "1", .badRequest),
    ])
    func badQuantitiesAndSKUsAreRefusedAndTheCartIsUnchanged(sku: String, qty: String, status: HTTPResponse.Status)
        async throws
    {
        try await MallShopping.withAnn { browser, central, _ in
            _ = try await MallShopping.add(browser, "TEA-01", 2, product: "TEA-01")
            let csrf = try await browser.csrf()
            let added = try await browser.post(
                "/mall/cart/add", [("csrf", csrf), ("product", "TEA-01"), ("sku", sku), ("qty", qty)])
            #expect(added.status == status)
            if qty != "0" {  // an update to 0 removes the line (the remove button)
                let updated = try await browser.post("/mall/cart/update", [("csrf", csrf), ("sku", sku), ("qty", qty)])
                #expect(updated.status.code >= 400 && updated.status.code < 500)
            }
            #expect(try central.selfService(member: "A").cart().map(\.quantity) == [2])
            // Without the session's CSRF token: 403, nothing changed.
            let forged = try await browser.post(
                "/mall/cart/add", [("product", "TEA-01"), ("sku", "TEA-01"), ("qty", "1")])
            #expect(forged.status == .forbidden)
            #expect(try central.selfService(member: "A").cart().map(\.quantity) == [2])
        }
    }

    @Test func theAddressBookAddsEditsSetsTheDefaultAndDeletes() async throws {
        try await MallShopping.withAnn { browser, central, _ in
            let csrf = try await browser.csrf()
            let ann = try central.selfService(member: "A")
            let add = { (name: String, address: String) in
                try await browser.post(
                    "/mall/addresses", [("csrf", csrf), ("name", name), ("phone", "13800000001"), ("address", address)])
            }
            #expect(try await add("Ann", "上海市静安区 1 号").location == "/mall/addresses")
            #expect(try await add("Ann office", "上海市浦东新区 2 号").location == "/mall/addresses")
            let book = try ann.addresses()
            #expect(book.map(\.name) == ["Ann", "Ann office"] && book.first?.isDefault == true)
            let office = try #require(book.last).id
            _ = try await browser.post("/mall/addresses/\(office)/default", [("csrf", csrf)])
            #expect(try ann.addresses().first?.id == office)
            _ = try await browser.post(
                "/mall/addresses/\(office)",
                [("csrf", csrf), ("name", "Ann at work"), ("phone", "13800000009"), ("address", "上海市浦东新区 3 号")])
            #expect(try ann.addresses().first?.name == "Ann at work")
            let page = try await browser.get("/mall/addresses")
            #expect(page.body.contains("Ann at work") && page.body.contains(#"id="default-address""#))
            // Bad input: 400 with the sentence, nothing changed.
            let bad = try await add("Ann", "x")
            #expect(bad.status == .badRequest && bad.body.contains("收货地址应为 5–200 个字"))
            let badPhone = try await browser.post(
                "/mall/addresses", [("csrf", csrf), ("name", "Ann"), ("phone", "abc"), ("address", "上海市 9 号路")])
            #expect(badPhone.status == .badRequest && badPhone.body.contains("收货手机号格式不对"))
            #expect(try ann.addresses().count == 2)
            // Someone else's address: not found, untouched.
            _ = try central.members.upsert(id: "B", name: "Bo", phone: "13800000002")
            let theirs = try central.selfService(member: "B").addAddress(
                AddressInput(name: "Bo", phone: "13800000002", address: "北京市朝阳区 2 号"))
            #expect(try await browser.post("/mall/addresses/\(theirs.id)/delete", [("csrf", csrf)]).status == .notFound)
            let edit = try await browser.post(
                "/mall/addresses/\(theirs.id)",
                [("csrf", csrf), ("name", "Mine"), ("phone", "13800000001"), ("address", "上海市 1 号路")])
            #expect(edit.status == .notFound)
            #expect(try central.selfService(member: "B").addresses().map(\.name) == ["Bo"])
            // Deleting the default makes the other one the default.
            _ = try await browser.post("/mall/addresses/\(office)/delete", [("csrf", csrf)])
            #expect(try ann.addresses().map(\.isDefault) == [true])
        }
    }
}
