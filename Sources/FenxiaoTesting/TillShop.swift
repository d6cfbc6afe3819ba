import Commerce
import Foundation
import Node
import Storage

/// A shop for till tests: central with an admin (boss); at store S1 four cashiers (amy, bob,
/// cat, dan; PIN 2468) and a store manager (max; PIN 1357), stock of TEA-01, BUN-01 and
/// MUG-01, and `tills` tills enrolled (TILL-1…), whose tokens are returned in order, each with
/// a shift open (float ¥200.00) unless `openShifts` is false.
public enum TillShop {
    public static let cashiers = ["amy", "bob", "cat", "dan"]
    public static let cashierPIN = "2468"
    public static let manager = "max"
    public static let managerPIN = "1357"

    public static func make(in dir: TempDirectory, tills: Int = 1, stock: Int64 = 100, openShifts: Bool = true) throws
        -> (central: FenxiaoNode, store: FenxiaoNode, tillTokens: [String])
    {
        let central = try Fixtures.central(in: dir)
        _ = try central.access.upsertUser(
            id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil, birthday: nil)
        let admin = central.acting(as: "boss")
        for id in cashiers {
            _ = try admin.access.upsertUser(
                id: id, name: id.capitalized, role: .cashier, store: "S1", phone: nil, email: nil, address: nil,
                birthday: nil)
        }
        _ = try admin.access.upsertUser(
            id: manager, name: "Max", role: .storeManager, store: "S1", phone: nil, email: nil, address: nil,
            birthday: nil)
        let store = try Fixtures.store("S1", in: dir, from: central)
        let max = store.acting(as: manager)
        for sku in ["TEA-01", "BUN-01", "MUG-01"] {
            _ = try max.inventory.move(sku: sku, quantity: stock, reason: .receive)
        }
        for id in cashiers { _ = try max.till.setPIN(user: id, pin: cashierPIN) }
        _ = try max.till.setPIN(user: manager, pin: managerPIN)
        let tokens = try (1...Swift.max(1, tills)).map { try max.till.add("TILL-\($0)").token }
        if openShifts {
            for n in 1...Swift.max(1, tills) {
                _ = try max.till.openShift(till: "TILL-\(n)", float: Money(cents: 20_000))
            }
        }
        return (central, store, tokens)
    }
}
