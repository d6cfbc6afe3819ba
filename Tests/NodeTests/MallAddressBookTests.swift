import Commerce
import FenxiaoTesting
import Node
import Storage
import Testing

/// The mall's address book and cart at central (schema 19): at most 20 addresses, lengths
/// checked, one default, only the member's own; the cart's limits.
@Suite struct MallAddressBookTests {
    func withAnn(_ body: (FenxiaoNode, MemberSelfService) throws -> Void) throws {
        let dir = TempDirectory("addressbook")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        _ = try central.members.upsert(id: "A", name: "Ann", phone: "13800000001")
        _ = try central.members.upsert(id: "B", name: "Bo", phone: "13800000002")
        try body(central, try central.selfService(member: "A"))
    }

    static let home = AddressInput(name: "Ann", phone: "13800000001", address: "上海市静安区南京西路 1 号")

    @Test func anAddressBookHoldsTwentyAndTheFirstIsTheDefault() throws {
        try withAnn { _, ann throws in
            for n in 1...AddressBookPolicy.maxAddresses {
                var a = Self.home
                a.address += " \(n)"
                _ = try ann.addAddress(a)
            }
            let book = try ann.addresses()
            #expect(
                book.count == 20 && book.filter(\.isDefault).count == 1 && book.first?.address.hasSuffix(" 1") == true)
            let error = #expect(throws: NodeError.self) { try ann.addAddress(Self.home) }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains("at most 20 addresses") == true)
            #expect(try ann.addresses().count == 20)
        }
    }

    @Test(arguments: [
        AddressInput(name: "", phone: "13800000001", address: "上海市静安区 1 号"),
        AddressInput(name: String(repeating: "名", count: 41), phone: "13800000001", address: "上海市静安区 1 号"),
        AddressInput(name: "Ann", phone: "1380", address: "上海市静安区 1 号"),
        AddressInput(name: "Ann", phone: "138-abc-0001", address: "上海市静安区 1 号"),
        AddressInput(name: "Ann", phone: "13800000001", address: "上海"),
        AddressInput(name: "Ann", phone: "13800000001", address: String(repeating: "路", count: 201)),
        AddressInput(name: "Ann\n", phone: "13800000001", address: "上海市\u{7}静安区 1 号"),
    ])
    func badAddressesAreRefusedNamingTheField(input: AddressInput) throws {
        try withAnn { _, ann throws in
            let error = #expect(throws: NodeError.self) { try ann.addAddress(input) }
            #expect(error?.code == .invalidInput)
            #expect(["recipient", "ship_phone", "ship_address"].contains(error?.field?.rawValue ?? ""))
            #expect(try ann.addresses().isEmpty)
        }
    }

    @Test func onlyTheMembersOwnAddressesChangeAndTheDefaultMovesOnDelete() throws {
        try withAnn { central, ann throws in
            let bo = try central.selfService(member: "B")
            let theirs = try bo.addAddress(AddressInput(name: "Bo", phone: "13800000002", address: "北京市朝阳区 2 号"))
            for attempt in [
                { _ = try ann.editAddress(id: theirs.id, Self.home) }, { try ann.deleteAddress(id: theirs.id) },
                { try ann.setDefaultAddress(id: theirs.id) },
            ] as [() throws -> Void] {
                let error = #expect(throws: NodeError.self) { try attempt() }
                #expect(error?.code == .notFound)
            }
            #expect(try bo.addresses() == [theirs])
            let first = try ann.addAddress(Self.home)
            let second = try ann.addAddress(
                AddressInput(name: "Ann", phone: "13800000001", address: "上海市浦东新区 2 号"), makeDefault: true)
            #expect(try ann.addresses().map(\.id) == [second.id, first.id])
            #expect(try ann.addresses().filter(\.isDefault).map(\.id) == [second.id])
            try ann.deleteAddress(id: second.id)
            #expect(try ann.addresses().map(\.isDefault) == [true])
        }
    }

    @Test func theCartRefusesBadQuantitiesAndUnknownOrOffShelfSKUs() throws {
        try withAnn { central, ann throws in
            _ = try ann.addToCart(sku: "TEA-01", quantity: 2)
            _ = try ann.addToCart(sku: "TEA-01", quantity: 3)
            #expect(try ann.cart().map(\.quantity) == [5])
            #expect(throws: NodeError.self) { try ann.addToCart(sku: "TEA-01", quantity: 995) }
            #expect(throws: NodeError.self) { try ann.addToCart(sku: "TEA-01", quantity: 0) }
            #expect(throws: NodeError.self) { try ann.addToCart(sku: "NOPE", quantity: 1) }
            _ = try central.catalog.setOnShelf(sku: "MUG-01", false)
            #expect(throws: NodeError.self) { try ann.addToCart(sku: "MUG-01", quantity: 1) }
            #expect(throws: NodeError.self) { try ann.setCartQuantity(sku: "BUN-01", quantity: 1) }
            #expect(try ann.cart().map(\.quantity) == [5])
            #expect(try central.selfService(member: "B").cart().isEmpty)
        }
    }
}
