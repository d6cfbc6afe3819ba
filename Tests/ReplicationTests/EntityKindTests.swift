import Foundation
import Testing

@testable import Replication

@Suite struct EntityKindTests {
    @Test(arguments: EntityKind.allCases)
    func everyKindParsesFromItsWireName(kind: EntityKind) throws {
        #expect(EntityKind(kind.rawValue) == kind)
        #expect(kind.rawValue.allSatisfy { $0.isLowercase || $0 == "_" })
    }

    @Test(arguments: ["", "Product", "products", "stock", "orders", "member ", "users", "coupon-use"])
    func unknownKindsAreRefused(raw: String) {
        #expect(EntityKind(raw) == nil)
    }

    @Test func namedConstantsAreTheKnownKinds() {
        let constants: [EntityKind] = [
            .category, .product, .sku, .warehouse, .promotion, .coupon, .member, .conflictNote, .order, .orderLine,
            .payment, .refund, .stockMove, .memberLedger, .couponUse, .transfer, .distributor, .binding,
            .commissionRule, .withdrawal, .memberLevel, .user, .audit, .memberGroup, .refundRequest, .setting,
            .memberContact, .clockClamp, .shift,
        ]
        #expect(constants.map(\.rawValue).sorted() == EntityKind.allCases.map(\.rawValue).sorted())
        for kind in constants { #expect(EntityKind(kind.rawValue) == kind) }
    }

    @Test func codableRoundTripAndRejectsUnknownKinds() throws {
        let data = try JSONEncoder().encode([EntityKind.stockMove, .couponUse])
        #expect(String(decoding: data, as: UTF8.self) == #"["stock_move","coupon_use"]"#)
        #expect(try JSONDecoder().decode([EntityKind].self, from: data) == [.stockMove, .couponUse])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([EntityKind].self, from: Data(#"["stock"]"#.utf8))
        }
    }

    @Test func ordersByRawValue() {
        #expect(EntityKind.category < .sku)
        #expect(EntityKind.order < .orderLine)
        #expect(EntityKind.sku.description == "sku")
    }
}
