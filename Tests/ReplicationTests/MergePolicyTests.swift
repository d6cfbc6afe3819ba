import Testing

@testable import Replication

@Suite struct MergePolicyTests {
    static let centralOnly: Set<String> = [
        "category", "product", "sku", "warehouse", "promotion", "coupon", "commission_rule", "member_level", "user",
        "member_group", "setting",
    ]

    @Test(arguments: EntityKind.sorted)
    func onlyCatalogKindsAreCentralOnly(kind: EntityKind) {
        let expected: Authorship = Self.centralOnly.contains(kind.rawValue) ? .centralOnly : .anyNode
        #expect(kind.policy.authorship == expected)
    }

    @Test(arguments: [
        ("category", MergePolicy.register(.centralOnly)),
        ("product", .register(.centralOnly)),
        ("sku", .register(.centralOnly)),
        ("warehouse", .register(.centralOnly)),
        ("promotion", .register(.centralOnly)),
        ("coupon", .register(.centralOnly)),
        ("member", .register(.anyNode)),
        ("conflict_note", .register(.anyNode)),
        ("order", .orderState),
        ("order_line", .record),
        ("payment", .record),
        ("refund", .ledger),
        ("stock_move", .ledger),
        ("member_ledger", .ledger),
        ("coupon_use", .claim),
        ("shift", .register(.anyNode)),
    ])
    func eachKindHasItsPolicy(raw: String, policy: MergePolicy) throws {
        let kind = try #require(EntityKind(raw))
        #expect(kind.policy == policy)
    }

    @Test func allKindsIsSortedAndComplete() {
        let all = EntityKind.sorted
        #expect(all.count == EntityKind.allCases.count)
        #expect(all.count == 29)  // 27 + clock_clamp (central only) + shift (a till's, issue 17)
        #expect(all == all.sorted())
        #expect(Set(all) == Set(EntityKind.allCases))
    }

    @Test func nonRegisterPoliciesAreWritableByAnyNode() {
        for policy in [MergePolicy.record, .ledger, .orderState, .claim] {
            #expect(policy.authorship == .anyNode)
        }
    }
}
