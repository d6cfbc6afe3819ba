import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Tills, PINs, lockout, sessions and the manager's PIN, on a real store database with a clock
/// the test moves.
@Suite struct TillAccessTests {
    /// Central with an admin, and at store S1 a cashier (amy) and a store manager (max); the
    /// store S1 opened on `clock`, with 100 mugs.
    static func shop(_ dir: TempDirectory, clock: ManualClock) throws -> FenxiaoNode {
        let central = try Fixtures.central(in: dir)
        _ = try central.access.upsertUser(
            id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil, birthday: nil)
        let admin = central.acting(as: "boss")
        _ = try admin.access.upsertUser(
            id: "amy", name: "Amy", role: .cashier, store: "S1", phone: nil, email: nil, address: nil, birthday: nil)
        _ = try admin.access.upsertUser(
            id: "max", name: "Max", role: .storeManager, store: "S1", phone: nil, email: nil, address: nil,
            birthday: nil)
        _ = try admin.access.upsertUser(
            id: "zoe", name: "Zoe", role: .cashier, store: "S2", phone: nil, email: nil, address: nil, birthday: nil)
        _ = try Fixtures.store("S1", in: dir, from: central)
        let store = FenxiaoNode(store: try NodeStore.open(directory: dir.sub("S1"), wallClock: clock.now))
        _ = try store.acting(as: "max").inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
        return store
    }

    @Test func aTillTokenIsShownOnceAndOnlyItsHashIsKept() throws {
        let dir = TempDirectory("till-enrol")
        defer { dir.remove() }
        let clock = ManualClock()
        let shop = try Self.shop(dir, clock: clock)
        let max = shop.acting(as: "max")
        #expect(throws: NodeError.self) { try shop.acting(as: "amy").till.add("TILL-1") }  // a cashier may not enrol
        let enrolled = try max.till.add("TILL-1")
        #expect(enrolled.token.count == 64)
        let rows = try shop.store.tills()
        #expect(rows.map(\.id) == ["TILL-1"])
        #expect(rows[0].tokenHash == Tokens.hash(enrolled.token) && rows[0].tokenHash != enrolled.token)
        _ = try max.till.setPIN(user: "amy", pin: "2468")
        _ = try shop.till.login(user: "amy", pin: "2468", tillToken: enrolled.token)
        // Re-enrolling gives a new token: the old one and its sessions stop working.
        let again = try max.till.add("TILL-1")
        #expect(again.token != enrolled.token)
        #expect(throws: NodeError.self) { try shop.till.login(user: "amy", pin: "2468", tillToken: enrolled.token) }
        let login = try shop.till.login(user: "amy", pin: "2468", tillToken: again.token)
        _ = try max.till.revoke("TILL-1")
        do {
            _ = try shop.till.session(login.token)
            Issue.record("a revoked till's session still worked")
        } catch {
            #expect(error.code == .unauthorized)
        }
        do {
            _ = try shop.till.login(user: "amy", pin: "2468", tillToken: again.token)
            Issue.record("a revoked till logged in")
        } catch {
            #expect(error.code == .unauthorized && error.field == .tillToken)
            #expect(error.message.contains("revoked"))
        }
        #expect(try max.till.list().map(\.revoked) == [true])
        #expect(throws: NodeError.self) { try max.till.add("bad id!") }
    }

    @Test func pinsAreBcryptHashedAndOnlyStaffGetThem() throws {
        let dir = TempDirectory("till-pin")
        defer { dir.remove() }
        let shop = try Self.shop(dir, clock: ManualClock())
        do {
            _ = try shop.acting(as: "amy").till.setPIN(user: "amy", pin: "12a4")
            Issue.record("a PIN with a letter was taken")
        } catch {
            #expect(error.field == .newPin)
        }
        _ = try shop.acting(as: "amy").till.setPIN(user: "amy", pin: "1357")
        let row = try #require(try shop.store.pin(user: "amy"))
        #expect(row.pinHash.hasPrefix("$2b$10$") && !row.pinHash.contains("1357"))
        // A cashier may not set the manager's PIN; the manager may set the cashier's.
        #expect(throws: NodeError.self) { try shop.acting(as: "amy").till.setPIN(user: "max", pin: "9999") }
        _ = try shop.acting(as: "max").till.setPIN(user: "amy", pin: "8642")
        #expect(throws: NodeError.self) { try shop.till.verify(user: "amy", pin: "1357") }
        #expect(try shop.till.verify(user: "amy", pin: "8642").role == .cashier)
        // Another store's cashier has no PIN here and cannot get one.
        #expect(throws: NodeError.self) { try shop.acting(as: "max").till.setPIN(user: "zoe", pin: "1111") }
    }

    @Test func fiveWrongPINsLockTheUserForFifteenMinutes() throws {
        let dir = TempDirectory("till-lock")
        defer { dir.remove() }
        let clock = ManualClock()
        let shop = try Self.shop(dir, clock: clock)
        _ = try shop.acting(as: "amy").till.setPIN(user: "amy", pin: "2468")
        // Four wrong, one right: the count starts again.
        for _ in 0..<4 { #expect(throws: NodeError.self) { try shop.till.verify(user: "amy", pin: "0000") } }
        _ = try shop.till.verify(user: "amy", pin: "2468")
        for attempt in 1...5 {
            do {
                _ = try shop.till.verify(user: "amy", pin: "0000")
                Issue.record("a wrong PIN passed")
            } catch {
                #expect(error.code == .unauthorized)
                #expect(error.message.contains(attempt == 5 ? "now locked" : "\(5 - attempt) more wrong"))
            }
        }
        do {
            _ = try shop.till.verify(user: "amy", pin: "2468")
            Issue.record("the right PIN passed while locked")
        } catch {
            #expect(error.message.contains("locked after 5 wrong PINs"))
        }
        clock.advance(minutes: 14)
        #expect(throws: NodeError.self) { try shop.till.verify(user: "amy", pin: "2468") }
        clock.advance(minutes: 1)
        #expect(try shop.till.verify(user: "amy", pin: "2468").id == "amy")
        // A manager's new PIN lifts a lock at once.
        for _ in 0..<5 { _ = try? shop.till.verify(user: "amy", pin: "0000") }
        #expect(throws: NodeError.self) { try shop.till.verify(user: "amy", pin: "2468") }
        _ = try shop.acting(as: "max").till.setPIN(user: "amy", pin: "1122")
        #expect(try shop.till.verify(user: "amy", pin: "1122").id == "amy")
    }

    @Test func sessionsEndAfterThirtyIdleMinutesOrTwelveHours() throws {
        let dir = TempDirectory("till-session")
        defer { dir.remove() }
        let clock = ManualClock()
        let shop = try Self.shop(dir, clock: clock)
        let till = try shop.acting(as: "max").till.add("TILL-2")
        _ = try shop.acting(as: "amy").till.setPIN(user: "amy", pin: "2468")
        #expect(throws: NodeError.self) { try shop.till.login(user: "amy", pin: "2468", tillToken: "not-a-token") }
        let login = try shop.till.login(user: "amy", pin: "2468", tillToken: till.token)
        #expect(login.session.user == "amy" && login.session.role == .cashier && login.session.till == "TILL-2")
        #expect(try shop.store.session(tokenHash: Tokens.hash(login.token)) != nil)
        #expect(try shop.store.session(tokenHash: login.token) == nil)  // the token itself is not stored
        // Used every 29 minutes, the session lives on…
        for _ in 0..<24 {
            clock.advance(minutes: 29)
            #expect(try shop.till.session(login.token).user == "amy")
        }
        // …until 12 hours after login (24 × 29 min = 11 h 36 min).
        clock.advance(minutes: 25)
        do {
            _ = try shop.till.session(login.token)
            Issue.record("a 12-hour-old session still worked")
        } catch {
            #expect(error.code == .unauthorized)
            #expect(error.message.contains("expired"))
        }
        let second = try shop.till.login(user: "amy", pin: "2468", tillToken: till.token)
        clock.advance(minutes: 30)
        do {
            _ = try shop.till.session(second.token)
            Issue.record("an idle session still worked")
        } catch {
            #expect(error.message.contains("idle"))
        }
        let third = try shop.till.login(user: "amy", pin: "2468", tillToken: till.token)
        try shop.till.logout(third.token)
        #expect(throws: NodeError.self) { try shop.till.session(third.token) }
        #expect(
            try shop.acting(as: "max").access.auditLog().filter {
                $0.action == "user.login" && $0.subject == "till:TILL-2"
            }.count == 3)
    }

    @Test func aRefundAboveTheCashiersLimitNeedsAManagersPIN() throws {
        let dir = TempDirectory("till-override")
        defer { dir.remove() }
        let shop = try Self.shop(dir, clock: ManualClock())
        _ = try shop.acting(as: "amy").till.setPIN(user: "amy", pin: "2468")
        _ = try shop.acting(as: "max").till.setPIN(user: "max", pin: "9753")
        let amy = shop.acting(as: "amy")
        let order = try amy.orders.create(OrderRequest(lines: [.line("MUG-01", 6)], pay: .cash))  // ¥270.00 > ¥200.00
        #expect(throws: NodeError.self) {
            try amy.orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
        }
        #expect(throws: NodeError.self) { try shop.till.approval(manager: "max", pin: "0000") }
        // A cashier's PIN approves nothing above a cashier's limit.
        let byCashier = try shop.till.approval(manager: "amy", pin: "2468")
        #expect(throws: NodeError.self) {
            try amy.approved(by: byCashier).orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
        }
        let approval = try shop.till.approval(manager: "max", pin: "9753")
        let refunded = try amy.approved(by: approval).orders.refund(
            order: order.id, amount: nil, reason: nil, restock: false)
        #expect(refunded.refunded_cents == 27_000)
        let audit = try shop.acting(as: "max").access.auditLog()
        #expect(audit.contains { $0.user == "amy" && $0.action == "order.refund" && $0.subject == order.id })
        #expect(audit.contains { $0.user == "max" && $0.action == "order.refund.approve" && $0.subject == order.id })
        // The approval was for that one action: the node value without it is back to the cashier's limit.
        let other = try amy.orders.create(OrderRequest(lines: [.line("MUG-01", 6)], pay: .cash))
        #expect(throws: NodeError.self) {
            try amy.orders.refund(order: other.id, amount: nil, reason: nil, restock: false)
        }
    }

    /// The node's operator stands in when no user is named: the rule then asks the operator's PIN.
    @Test func onceAUserHasAPINTheCLIRuleNeedsIt() throws {
        let dir = TempDirectory("till-cli-pin")
        defer { dir.remove() }
        let shop = try Self.shop(dir, clock: ManualClock())
        try shop.acting(as: "amy").till.authenticate(pin: nil)  // no PIN yet: acts as before
        _ = try shop.acting(as: "amy").till.setPIN(user: "amy", pin: "2468")
        do {
            try shop.acting(as: "amy").till.authenticate(pin: nil)
            Issue.record("acted as amy without her PIN")
        } catch {
            #expect(error.field == .pin)
        }
        #expect(throws: NodeError.self) { try shop.acting(as: "amy").till.authenticate(pin: "1111") }
        try shop.acting(as: "amy").till.authenticate(pin: "2468")
    }
}
