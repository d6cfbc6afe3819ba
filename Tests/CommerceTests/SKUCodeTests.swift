import Commerce
import Testing

@Suite struct SKUCodeTests {
    @Test(arguments: ["TEA-01", "a", "v1.2_x", String(repeating: "9", count: 64)])
    func acceptsShelfCodes(raw: String) throws {
        #expect(try #require(SKUCode(raw)).rawValue == raw)
    }

    @Test(arguments: ["", "TEA 01", "TEA/01", "茶-01", "A:1", String(repeating: "9", count: 65)])
    func refusesOtherCodes(raw: String) {
        #expect(SKUCode(raw) == nil)
    }
}
