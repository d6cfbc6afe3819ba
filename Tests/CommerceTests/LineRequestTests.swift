import Commerce
import Testing

@Suite struct LineRequestTests {
    @Test(arguments: [
        ("TEA-01:3", "TEA-01", Int64(3)), ("A:1", "A", 1), ("TEA-01:9999", "TEA-01", 9999),
    ])
    func parsesSKUAndQuantity(text: String, sku: String, quantity: Int64) throws {
        let line = try LineRequest(parsing: text)
        #expect(line == LineRequest(sku: sku, quantity: quantity))
    }

    @Test(arguments: ["TEA-01", ":3", "A:B:3", "", ":", "TEA-01::3", " TEA-01 :3", "茶:2"])
    func refusesLinesThatAreNotSKUColonQuantity(text: String) {
        let error = #expect(throws: CommerceError.self) { try LineRequest(parsing: text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("SKU:QTY") == true)
    }

    @Test(arguments: [
        "TEA-01:0", "TEA-01:-1", "TEA-01:10000", "TEA-01:abc", "TEA-01:", "TEA-01:1.5", "TEA-01: 2",
        "TEA-01:99999999999999999999", "TEA-01:+3",
    ])
    func refusesQuantitiesOutsideOneTo9999(text: String) {
        let error = #expect(throws: CommerceError.self) { try LineRequest(parsing: text) }
        #expect(error?.code == .invalidQuantity)
        #expect(error?.message.contains("'\(text)'") == true)
    }
}
