import Commerce
import Replication
import Testing

@testable import Node

/// The counter's Chinese error catalog, shared by the CLI and the till: every pattern compiles,
/// values and fields carry over into the Chinese sentence, and an unknown sentence stays English.
@Suite struct CounterErrorCatalogTests {
    @Test func everyPatternCompilesOnce() {
        #expect(CounterErrorCatalog.broken == 0)
        #expect(CounterErrorCatalog.compiled.count == CounterErrorCatalog.entries.count)
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
}
