import Commerce
import Replication
import Testing

@testable import Node

/// The counter's Chinese error catalog, shared by the CLI and the till: every pattern compiles,
/// values and fields carry over into the Chinese sentence, and an unknown sentence stays English.
@Suite struct CounterErrorCatalogTests {
    @Test func everyPatternCompilesOnce() {
        #expect(CounterErrorCatalog.broken == 0)
        #expect(CounterErrorCatalog.catalog.compiled.count == CounterErrorCatalog.entries.count)
    }

    @Test func valuesAndFieldsCarryOverAndEachFaceNamesTheFieldItsWay() {
        let error = NodeError(
            .unauthorized, "wrong \(Field.pin) for user amy; 4 more wrong PINs lock the user for 15 minutes")
        #expect(error.sentence(in: .chinese) == "用户 amy 的 pin 错误；再错 4 次将锁定 15 分钟")
        #expect(error.sentence(in: .chinese, naming: { "--\($0.rawValue)" }) == "用户 amy 的 --pin 错误；再错 4 次将锁定 15 分钟")
        #expect(error.sentence(in: .english) == error.message)
        let stock = NodeError(
            .conflict, "only 3 × TEA-01 available at S1 (asked 5); receive or count the stock first")
        #expect(stock.chineseSentence() == "S1 仅有 3 件 TEA-01 可售（需要 5 件）；请先入库或盘点")
    }

    @Test func aSentenceOutsideTheCatalogStaysEnglish() {
        let error = NodeError(.invalidInput, "something nobody catalogued")
        #expect(error.chineseSentence() == nil)
        #expect(error.sentence(in: .chinese) == "something nobody catalogued")
    }

    @Test func theAmbiguousSuffixSentenceIsCatalogued() {
        // Not driven through the till (order ids are random): the sentence the use case writes.
        let english = "2 orders end with 1234: O-S1-AAA1234, O-S1-BBB1234; type more of the id"
        #expect(CounterErrorCatalog.chinese(english) == "有 2 个订单以 1234 结尾：O-S1-AAA1234, O-S1-BBB1234；请输入更多位订单号")
    }

    /// Sentences the till cannot be driven to in a test without waiting (a session's clock) or
    /// luck (two random ids with one suffix), as the use cases write them.
    @Test(arguments: [
        "this session expired at 21:05 (sessions last 12 hours); log in again with your PIN",
        "this session was idle since 21:05 (30 minutes); log in again with your PIN",
        "this session ended at 21:05; log in again with your PIN",
        "user amy is locked after 5 wrong PINs until 21:20; wait, or a store manager sets a new PIN",
        "wrong pin for user amy; the user is now locked for 15 minutes",
        "shift SH-S1-1 is closed; open a new shift at till TILL-1",
        "till TILL-1 already has shift SH-S1-1 open since 09:00; close it first",
        "coupon C1 is not valid yet",
        "member M1 has already used coupon C1",
        "at most 500 points (50 % of ¥10.00) can be redeemed on this order",
        "refund ¥5.00 exceeds the ¥2.00 still refundable on order O-S1-1",
        "user amy (cashier) may not set the PIN of max (store_manager); ask head office",
        "user boss (admin) is not store staff; PINs are for staff who sell",
        "quantity of TEA-01 must be between 1 and 9999",
        "sku 'TEA 01' is not a SKU code (1–64 letters, digits, '-', '.', '_')",
        "refund amount -1.00 must be a positive amount in yuan",
        "barcode line '690:x': quantity 'x' must be a whole number from 1 to 9999",
        "line 0:1 must have LINE and QTY of at least 1",
    ])
    func sentencesTheTillCannotEasilyBeDrivenToAreCatalogued(_ english: String) {
        #expect(CounterErrorCatalog.chinese(english) != nil, "\(english)")
    }
}
