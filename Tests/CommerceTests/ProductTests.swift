import Commerce
import Testing

@Suite struct ProductTests {
    @Test func expandsEveryCombinationWithSpecNamesSortedAndOptionOrderKept() {
        let combos = Product.expand(specs: ["size": ["S", "M"], "colour": ["red", "blue"]])
        #expect(
            combos == [
                ["colour": "red", "size": "S"], ["colour": "red", "size": "M"],
                ["colour": "blue", "size": "S"], ["colour": "blue", "size": "M"],
            ])
    }

    @Test func countIsTheProductOfOptionCounts() {
        let combos = Product.expand(specs: ["a": ["1", "2", "3"], "b": ["x", "y"], "c": ["only"]])
        #expect(combos.count == 6)
        #expect(Set(combos).count == 6)
        #expect(combos.allSatisfy { $0["c"] == "only" && $0.count == 3 })
    }

    @Test func noSpecsIsOneEmptyCombination() {
        #expect(Product.expand(specs: [:]) == [[:]])
    }

    @Test func aSpecWithNoOptionsGivesNoCombinations() {
        #expect(Product.expand(specs: ["size": [], "colour": ["red"]]).isEmpty)
    }

    @Test func orderIsStableAcrossDictionaryInsertionOrder() {
        var a: [String: [String]] = [:]
        a["size"] = ["S", "M", "L"]
        a["colour"] = ["red", "blue"]
        a["fit"] = ["slim"]
        var b: [String: [String]] = [:]
        b["fit"] = ["slim"]
        b["colour"] = ["red", "blue"]
        b["size"] = ["S", "M", "L"]
        #expect(Product.expand(specs: a) == Product.expand(specs: b))
        #expect(Product.expand(specs: a).first == ["colour": "red", "fit": "slim", "size": "S"])
    }
}
