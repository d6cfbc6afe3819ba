import Commerce
import Testing

@Suite struct CategoryPathTests {
    @Test func parsesLevelsAncestryAndParent() throws {
        let path = try #require(CategoryPath("Drinks/Tea/Green"))
        #expect(path.levels == ["Drinks", "Tea", "Green"])
        #expect(path.ancestry == ["Drinks", "Drinks/Tea", "Drinks/Tea/Green"])
        #expect(path.parent == "Drinks/Tea")
        #expect(path.description == "Drinks/Tea/Green")
    }

    @Test func aRootHasNoParent() throws {
        let root = try #require(CategoryPath("茶"))
        #expect(root.parent == nil)
        #expect(root.ancestry == ["茶"])
    }

    @Test func levelsAreTrimmed() throws {
        let path = try #require(CategoryPath(" Drinks / Tea "))
        #expect(path.levels == ["Drinks", "Tea"])
        #expect(path.description == "Drinks/Tea")
    }

    @Test func sixteenLevelsAreAllowed() throws {
        let text = (1...16).map { "L\($0)" }.joined(separator: "/")
        #expect(try #require(CategoryPath(text)).levels.count == 16)
    }

    @Test(arguments: [
        "", "/", "A//B", "/A", "A/", "A/ /B", (1...17).map { "L\($0)" }.joined(separator: "/"),
        "A/" + String(repeating: "x", count: 65),
    ])
    func refusesEmptyLevelsAndTooDeepOrLongPaths(text: String) {
        #expect(CategoryPath(text) == nil)
    }
}
