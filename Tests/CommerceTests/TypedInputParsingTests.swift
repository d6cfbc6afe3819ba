import Commerce
import Testing

/// The value types the CLI parses typed input into: each accepts what the README shows and
/// refuses the rest with a message naming the field.
@Suite struct TypedInputParsingTests {
    @Test func spendSaveTiers() throws {
        let tiers = try Promotion.Tier.list(parsing: "100:10,200:25.5")
        #expect(
            tiers == [.init(thresholdCents: 10_000, saveCents: 1_000), .init(thresholdCents: 20_000, saveCents: 2_550)])
        for bad in ["", "100", "100:0", "10:20", "a:b", "100:10:1", "-100:10"] {
            #expect(throws: CommerceError.self, "\(bad)") { try Promotion.Tier.list(parsing: bad) }
        }
        let refused = #expect(throws: CommerceError.self) { try Promotion.Tier.list(parsing: "100:0") }
        #expect(refused?.field == .spendSave)
    }

    @Test func topupBonusTiers() throws {
        #expect(
            try TopupBonus.list(parsing: "500=50,1000=120") == [
                .init(threshold_cents: 50_000, bonus_cents: 5_000),
                .init(threshold_cents: 100_000, bonus_cents: 12_000),
            ])
        #expect(try TopupBonus.list(parsing: "none").isEmpty)
        #expect(try TopupBonus.list(parsing: "").isEmpty)
        #expect(try TopupBonus.list(parsing: "500=0") == [.init(threshold_cents: 50_000, bonus_cents: 0)])
        for bad in ["500=600", "0=0", "500", "x=1", "500=50=1"] {
            #expect(throws: CommerceError.self, "\(bad)") { try TopupBonus.list(parsing: bad) }
        }
    }

    @Test func regroupRules() throws {
        #expect(
            try RegroupRule(by: .sales, parsing: "gold=10000,silver=2000")
                == .sales([
                    .init(group: "gold", threshold: Money(cents: 1_000_000)),
                    .init(group: "silver", threshold: Money(cents: 200_000)),
                ]))
        #expect(
            try RegroupRule(by: .channel, parsing: "Douyin=dy") == .channel([.init(channel: "Douyin", group: "dy")]))
        #expect(try RegroupRule(by: .channel, parsing: "a=b=c") == .channel([.init(channel: "a", group: "b=c")]))
        #expect(try RegroupRule(by: .sales, parsing: "").isEmpty)
        #expect(throws: CommerceError.self) { try RegroupRule(by: .sales, parsing: "gold=lots") }
        #expect(throws: CommerceError.self) { try RegroupRule(by: .sales, parsing: "gold") }
        #expect(throws: CommerceError.self) { try RegroupRule(by: .sales, parsing: "gold=-1") }
    }

    @Test func monthDays() {
        #expect(MonthDay(parsing: "11-26") == MonthDay(month: 11, day: 26))
        #expect(MonthDay(parsing: "02-29")?.description == "02-29")
        #expect(MonthDay(month: 5, day: 7)?.description == "05-07")
        for bad in ["13-01", "00-10", "02-30", "04-31", "1126", "1-26", "11/26", "ab-cd", "11-26 "] {
            #expect(MonthDay(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func shipmentLines() throws {
        #expect(try ShipmentLine(parsing: "2:3") == ShipmentLine(line: 2, quantity: 3))
        for bad in ["0:1", "1:0", "1", "a:b", "1:2:3", "-1:2"] {
            #expect(throws: CommerceError.self, "\(bad)") { try ShipmentLine(parsing: bad) }
        }
        #expect(!ShipmentLine(line: 1, quantity: 0).isValid)
    }

    @Test func refundLines() throws {
        #expect(try RefundLine(parsing: "2:1") == .line(2, 1))
        for bad in ["0:1", "1:0", "1", "a:b", "1:2:3", "-1:2", ""] {
            let error = #expect(throws: CommerceError.self, "\(bad)") { try RefundLine(parsing: bad) }
            #expect(error?.field == .line)
        }
        #expect(!RefundLine.line(1, 0).isValid && !RefundLine.line(0, 1).isValid && RefundLine.line(1).isValid)
    }

    @Test func campaignKindsKeepTheirWireNames() {
        #expect(CampaignKind.allCases.map(\.rawValue) == ["recall", "birthday", "promotion", "new_products"])
    }
}
