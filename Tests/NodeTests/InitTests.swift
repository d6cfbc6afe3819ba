import FenxiaoTesting
import Node
import Storage
import Testing

@Suite struct InitTests {
    @Test(arguments: [("central", NodeRole.store), ("s1", .central), ("bad name!", .store), ("", .store)])
    func invalidNamesAndRolesAreRefused(name: String, role: NodeRole) throws {
        try withTempDirectory("init") { dir in
            #expect(throws: NodeError.self) {
                try FenxiaoNode.initialize(directory: dir.sub("n"), node: name, role: role)
            }
        }
    }

    @Test func initOverAnExistingNodeIsRefused() throws {
        try withTempDirectory("init2") { dir in
            _ = try FenxiaoNode.initialize(directory: dir.sub("n"), node: "s1", role: .store)
            do {
                _ = try FenxiaoNode.initialize(directory: dir.sub("n"), node: "s1", role: .store)
                Issue.record("initialized twice")
            } catch let error as NodeError {
                #expect(error.message.contains("already holds"))
            }
        }
    }

    @Test func storeCannotMoveAnotherStoresStock() throws {
        try withCentral("wh") { central, dir in
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            do {
                _ = try s1.inventory.move(sku: "TEA-01", quantity: 1, reason: .receive, warehouse: "s2")
                Issue.record("moved s2's stock")
            } catch let error as NodeError {
                #expect(error.code == .forbidden)
            }
        }
    }
}
