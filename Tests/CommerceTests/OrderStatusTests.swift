import Commerce
import Testing

@Suite struct OrderStatusTests {
    static let allowed: Set<String> = [
        "pending>paid", "pending>cancelled", "paid>shipped", "paid>completed", "shipped>completed",
    ]

    static var allPairs: [(OrderStatus, OrderStatus)] {
        OrderStatus.allCases.flatMap { from in OrderStatus.allCases.map { (from, $0) } }
    }

    @Test(arguments: allPairs)
    func onlyForwardTransitionsAreAllowed(from: OrderStatus, to: OrderStatus) {
        let legal = Self.allowed.contains("\(from.rawValue)>\(to.rawValue)")
        #expect(from.allowedNext.contains(to) == legal)
        if legal {
            #expect(throws: Never.self) { try from.check(transitionTo: to, order: "O1") }
        } else {
            let error = #expect(throws: CommerceError.self) { try from.check(transitionTo: to, order: "O1") }
            #expect(error?.code == .illegalTransition)
            #expect(error?.message.contains("order O1 is \(from.rawValue);") == true)
            #expect(error?.message.contains("cannot become \(to.rawValue)") == true)
        }
    }

    @Test func cancellingAPaidOrderPointsToRefund() {
        let error = #expect(throws: CommerceError.self) {
            try OrderStatus.paid.check(transitionTo: .cancelled, order: "O7")
        }
        #expect(error?.message.contains("fenxiao order refund") == true)
    }

    @Test func factRanksOrderTheFacts() {
        #expect(OrderStatus.pending.factRank == 0)
        #expect(OrderStatus.paid.factRank == 1)
        #expect(OrderStatus.shipped.factRank == 2)
        #expect(OrderStatus.completed.factRank == 3)
        #expect(OrderStatus.cancelled.factRank == nil)
        #expect(OrderStatus.refunded.factRank == nil)
    }
}
