import FenxiaoTesting
import Node
import Storage
import Testing

@Suite struct InitTests {
    @Test(arguments: [("central", NodeRole.store), ("s1", .central), ("bad name!", .store), ("", .store)])
    func invalidNamesAndRolesAreRefused(name: String, role: NodeRole) throws {
        let dir = TempDirectory("init")
        defer { dir.remove() }
        #expect(throws: NodeError.self) { try FenxiaoNode.initialize(directory: dir.sub("n"), node: name, role: role) }
    }

    @Test func initOverAnExistingNodeIsRefused() throws {
        let dir = TempDirectory("init2")
        defer { dir.remove() }
        _ = try FenxiaoNode.initialize(directory: dir.sub("n"), node: "s1", role: .store)
        do {
            _ = try FenxiaoNode.initialize(directory: dir.sub("n"), node: "s1", role: .store)
            Issue.record("initialized twice")
        } catch {
            #expect(error.message.contains("already holds"))
        }
    }

    @Test func storeCannotMoveAnotherStoresStock() throws {
        let dir = TempDirectory("wh")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        _ = try central.sync.enroll(node: "s2", warehouses: [])
        let s1 = try Fixtures.store("s1", in: dir, from: central)
        do {
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 1, reason: .receive, warehouse: "s2")
            Issue.record("moved s2's stock")
        } catch {
            #expect(error.code == .forbidden)
        }
    }
}
