import FenxiaoTesting
import Foundation
import Node
import Server
import Storage
import Testing

/// A store's `fenxiao serve --sync-every`: the till sells through the store node, the sync loop
/// in the same process delivers the sales to central, and while central is down the till keeps
/// selling, its light says offline with the changes waiting; when central is back they arrive.
@Suite struct TillServeTests {
    /// Polls `body` until it holds, at most `timeout` seconds (a bounded wait, not a sleep).
    func eventually(_ timeout: TimeInterval, _ body: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try body() { return true }
            usleep(100_000)
        }
        return try body()
    }

    func light(_ till: TillClient) throws -> TillStatus {
        try JSONDecoder().decode(TillStatus.self, from: Data(try till.get("/till/api/status").text.utf8))
    }

    func sell(_ till: TillClient) throws -> String {
        let answer = try till.post(
            "/till/api/sales",
            #"{"cart":{"lines":[{"sku":"TEA-01","qty":1}]},"payments":[{"method":"card","amount_cents":1250}]}"#)
        #expect(answer.status == 201, "\(answer.text)")
        return try #require(TillClients.orderID(answer.text))
    }

    @Test func theTillSellsWhileCentralIsDownAndTheSyncLoopDeliversWhenItIsBack() throws {
        let dir = TempDirectory("till-serve")
        defer { dir.remove() }
        let (hq, store, tokens) = try TillShop.make(in: dir)
        let central = hq.acting(as: "boss")
        let token = try central.sync.enroll(node: "S1", warehouses: [])
        var centralServer = try ServerProcess(data: central.store.directory)
        defer { centralServer.stop() }
        let port = centralServer.port
        try store.store.setMeta(["central_url": centralServer.url, "token": token])
        let storeServer = try ServerProcess(data: store.store.directory, extraArgs: ["--sync-every", "5s"])
        defer { storeServer.stop() }
        let till = try TillClient(base: storeServer.url)
        try till.logIn(tillToken: tokens[0], user: "amy", pin: TillShop.cashierPIN)

        let first = try sell(till)
        #expect(
            try eventually(30) { (try? central.orders.find(first)) != nil }, "the sync loop did not deliver the sale")
        #expect(try eventually(30) { try light(till).light == .online })

        centralServer.stop()
        let second = try sell(till)  // central is down: the till sells all the same
        #expect(try eventually(30) { try light(till).light == .offline }, "the light did not turn offline")
        let offline = try light(till)
        #expect(offline.pending > 0, "the sale waits to be pushed")
        #expect(try central.read { try $0.order(second) } == nil)

        centralServer = try ServerProcess(data: central.store.directory, port: port)
        #expect(
            try eventually(30) { (try? central.orders.find(second)) != nil }, "the sale made offline did not arrive")
        #expect(
            try eventually(30) {
                let s = try light(till); return s.light == .online && s.pending == 0
            })
    }

    @Test(arguments: [
        ["--sync-every", "2s"], ["--sync-every", "soon"], ["--sync-every", "2h"],
        ["--webhook", "http://127.0.0.1:9/x"],
    ])
    func aStoreServeRefusesBadOptions(args: [String]) throws {
        let dir = TempDirectory("till-serve-bad")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        let store = try Fixtures.store("S1", in: dir, from: central)
        let out = try FenxiaoBinary.run(["serve", "--data", store.store.directory, "--port", "0"] + args, timeout: 20)
        #expect(out.status == 2, "\(args): \(out.stderr)")
    }
}
