import Commerce
import Foundation
import Replication
import Testing

/// Conflict records keep their facts as data; faces render them in English or Chinese.
@Suite struct ConflictTextTests {
    static let examples: [ConflictFacts] = [
        .paidTwice(payment: "PAY-1", at: "s1", order: "O-1", excessCents: 1250, totalCents: 5000),
        .factBeatsCancel(order: "O-2", cancelledAt: "central", factAt: "s2", fact: "paid"),
        .refundExceedsPaid(refund: "RF-1", at: "s1", order: "O-3", excessCents: 300, paidCents: 1000),
        .lineRefundExceedsSold(
            refund: "RF-2", at: "s2", order: "O-4", line: 2, extraUnits: 1, extraCents: 1108, soldUnits: 2,
            paidCents: 2216),
        .transferDiscrepancy(transfer: "T-1", sku: "TEA-01", shipped: 10, received: 8),
        .oversold(move: "MV-1", reason: "sale", sku: "TEA-01", warehouse: "W1", shortfall: 3),
        .allocationDisplaced(move: "MV-2", sku: "TEA-01", warehouse: "CLOUD", quantity: 2),
        .concurrentEdit(field: "phone", at: "s1", winnerAt: "s2", kept: "\"138\"", overrode: "\"139\""),
        .overdraft(entry: "WL-1", at: "s3", member: "M1", account: "wallet", spent: 7600, shortfall: 2600),
        .duplicateClaim(
            key: "coupon:SAVE10", winner: "order:O-5", winnerAt: "s1", claimant: "order:O-6", at: "s2",
            leakedCents: 1000),
        .pointsReturnExceedsUsed(
            entry: "PTB-RF-1", at: "s1", order: "O-7", member: "M1", writtenPoints: 3000, excessPoints: 3000,
            usedPoints: 3000),
        .pointsClawbackExceedsEarned(
            entry: "PTS-RF-1", at: "s1", order: "O-7", member: "M1", writtenPoints: 46, excessPoints: 46,
            earnedPoints: 46),
    ]

    @Test func englishKeepsTheSentencesHeadOfficeAlreadyReads() {
        #expect(
            ConflictText.sentence(Self.examples[0], in: .english)
                == "payment PAY-1 at s1 takes order O-1's payments ¥12.50 above its ¥50.00 total (paid at two places offline). Refund ¥12.50 to the customer."
        )
        #expect(
            ConflictText.sentence(Self.examples[8], in: .english)
                == "WL-1 at s3 spent 7600 cents of member M1's wallet that other stores had already spent offline; the member owes 2600 cents (recorded debt). Collect it or write it off."
        )
    }

    @Test(arguments: examples)
    func everyRuleHasAChineseSentenceWithItsFigures(facts: ConflictFacts) {
        let zh = ConflictText.sentence(facts, in: .chinese)
        #expect(zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(facts.rule) is not in Chinese")
        #expect(zh != ConflictText.sentence(facts, in: .english))
        // The ids and names a reader acts on are in the sentence (statuses, move reasons and
        // accounts are translated).
        let mirror = Mirror(reflecting: facts).children.first.map { Mirror(reflecting: $0.value).children }
        for child in mirror.map(Array.init) ?? [] {
            if let text = child.value as? String, !["fact", "reason", "account"].contains(child.label ?? "") {
                #expect(zh.contains(text), "\(facts.rule): \(child.label ?? "?") '\(text)' missing in \(zh)")
            }
        }
    }

    @Test(arguments: examples)
    func factsRoundTripAndNameTheirRule(facts: ConflictFacts) throws {
        let data = try JSONEncoder().encode(facts)
        #expect(try JSONDecoder().decode(ConflictFacts.self, from: data) == facts)
        let record = ConflictRecord(
            facts, subject: "s", winner: nil, loser: "s1/1", amount: 1, unit: "cents", scope: .global,
            createdHLC: HLC(rawValue: 1))
        #expect(record.rule == facts.rule)
        #expect(record.id == "\(facts.rule):s:s1/1")
        #expect(["order", "stock", "register", "ledger", "claim"].contains(record.kind))
    }

    @Test func chineseNamesOrderStatusesAndMoveReasons() {
        #expect(ConflictText.sentence(Self.examples[1], in: .chinese).contains("已付款"))
        #expect(ConflictText.sentence(Self.examples[5], in: .chinese).contains("销售"))
        #expect(ConflictText.sentence(Self.examples[8], in: .chinese).contains("¥26.00"))
    }
}
