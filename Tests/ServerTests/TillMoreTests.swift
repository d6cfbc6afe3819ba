import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// The till API's cash in / out, the drawer difference approval and parked sales, over HTTP on
/// a real store database (cashier amy logged in at TILL-1, shift open with a ¥200.00 float).
@Suite struct TillMoreTests {
    static func array(_ text: String) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]) ?? []
    }

    @Test func cashInAndOutAreCountedInTheZReportAndBadOnesAreRefused() async throws {
        try await TillFaceTests().withTill { till, store, _ in
            let (inStatus, moved) = try await till.post(
                "/till/api/shift/cash", #"{"direction":"in","amount_cents":5000,"reason":"补充零钱"}"#)
            #expect(inStatus == .created && moved["by"] as? String == "amy")
            let (outStatus, _) = try await till.post(
                "/till/api/shift/cash", #"{"direction":"out","amount_cents":12000,"reason":"存入保险柜"}"#)
            #expect(outStatus == .created)
            let shift = try #require(try store.till.currentShift(till: "TILL-1"))
            let before = try store.read { try $0.changeCount() }
            let long = String(repeating: "长", count: 5_000)
            for body in [
                #"{"direction":"in","amount_cents":0,"reason":"zero"}"#,
                #"{"direction":"out","amount_cents":-100,"reason":"negative"}"#,
                #"{"direction":"in","amount_cents":100000000001,"reason":"too much"}"#,
                #"{"direction":"in","amount_cents":9223372036854775807999,"reason":"overflow"}"#,
                #"{"direction":"in","amount_cents":100,"reason":"\#(long)"}"#,
                #"{"direction":"sideways","amount_cents":100,"reason":"which way"}"#,
                #"{"direction":"in","amount_cents":100}"#,
            ] {
                let (status, _) = try await till.post("/till/api/shift/cash", body)
                #expect(status.code >= 400 && status.code < 500, "\(body.prefix(60))")
            }
            #expect(try store.read { try $0.changeCount() } == before)
            let z = try store.acting(as: "max").till.zReport(shift.id)
            let cash = try #require(z.methods.first { $0.method == "cash" })
            let expected: Int64 = 20_000 + 5_000 - 12_000
            #expect(cash.expected_cents == expected)
            let (_, page, _) = try await till.get("/till/shift")
            #expect(page.contains("存入保险柜") && page.contains(#"id="cash-move""#))
            // The close over the API (¥130.00 counted: no difference); then cash moves are refused.
            let (closed, report) = try await till.post("/till/api/shift/close", #"{"cash_cents":13000}"#)
            #expect(closed == .ok && report["cash_difference_cents"] as? Int == 0)
            let (late, _) = try await till.post(
                "/till/api/shift/cash", #"{"direction":"in","amount_cents":100,"reason":"late"}"#)
            #expect(late == .conflict)
            let (_, zPage, _) = try await till.get("/till/z/\(shift.id)")
            #expect(zPage.contains("补充零钱") && zPage.contains(#"id="cash-moves""#))
        }
    }

    @Test func aBigDrawerDifferenceNeedsAManagersPINOnTheSameScreen() async throws {
        try await TillFaceTests().withTill { till, store, _ in
            let shift = try #require(try store.till.currentShift(till: "TILL-1"))
            let (refused, body) = try await till.post("/till/api/shift/close", #"{"cash_cents":10000}"#)
            #expect(refused == .forbidden && body["field"] as? String == "manager_pin")
            let (wrong, _) = try await till.post(
                "/till/api/shift/close", #"{"cash_cents":10000,"manager":"max","manager_pin":"9999"}"#)
            #expect(wrong.code >= 400 && wrong.code < 500)
            #expect(try store.till.currentShift(till: "TILL-1")?.id == shift.id)
            let (ok, z) = try await till.post(
                "/till/api/shift/close", #"{"cash_cents":10000,"manager":"max","manager_pin":"1357"}"#)
            #expect(ok == .ok && z["cash_difference_cents"] as? Int == -10_000)
            let audit = try store.acting(as: "max").access.auditLog().filter { $0.subject == shift.id }
            #expect(audit.contains { $0.user == "amy" && $0.action == "shift.close" })
            #expect(audit.contains { $0.user == "max" && $0.action == "shift.close.approve" })
        }
    }

    @Test func aParkedCartIsListedAndResumedOnce() async throws {
        try await TillFaceTests().withTill { till, store, _ in
            let changes = try store.read { try $0.changeCount() }
            let (status, parked) = try await till.post(
                "/till/api/parked", #"{"lines":[{"sku":"TEA-01","qty":2},{"sku":"BUN-01","qty":1}]}"#)
            #expect(status == .created && parked["items"] as? Int == 3 && parked["cashier"] as? String == "amy")
            let total = try #require(parked["total_cents"] as? Int)
            #expect(total > 0)
            #expect(try store.read { try $0.changeCount() } == changes)
            let (_, listText, _) = try await till.get("/till/api/parked")
            let list = Self.array(listText)
            #expect(list.count == 1 && list.first?["earlier_shift"] as? Bool == false)
            let id = try #require(parked["id"] as? String)
            let (resumed, body) = try await till.post("/till/api/parked/\(id)/resume", "{}")
            #expect(resumed == .ok)
            let cart = try #require(body["cart"] as? [String: Any])
            #expect((cart["lines"] as? [[String: Any]])?.map { $0["sku"] as? String } == ["TEA-01", "BUN-01"])
            let (again, _) = try await till.post("/till/api/parked/\(id)/resume", "{}")
            #expect(again == .notFound)
            let (empty, _) = try await till.post("/till/api/parked", #"{"lines":[]}"#)
            #expect(empty == .badRequest)
            let (_, after, _) = try await till.get("/till/api/parked")
            #expect(Self.array(after).isEmpty)
            let (_, page, _) = try await till.get("/till/sale")
            #expect(page.contains(#"id="park""#) && page.contains(#"id="parked-list""#))
        }
    }
}
