import Commerce
import FenxiaoTesting
import Node
import Storage
import Testing

/// Console passwords and sessions at central (schema 16): who may set a password, what a
/// password must be, the lockout and when it lifts, idle and absolute expiry, and a new password
/// ending the user's sessions; only hashes are kept.
@Suite struct ConsoleAccessTests {
    static func central(_ dir: TempDirectory, clock: ManualClock) throws -> FenxiaoNode {
        let setup = try Fixtures.central(in: dir)
        _ = try setup.access.upsertUser(
            id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil, birthday: nil)
        for (id, role) in [("hana", Role.hqStaff), ("fay", .finance), ("amy", .cashier)] {
            _ = try setup.acting(as: "boss").access.upsertUser(
                id: id, name: id, role: role, store: role == .cashier ? "S1" : nil, phone: nil, email: nil,
                address: nil, birthday: nil)
        }
        return FenxiaoNode(store: try NodeStore.open(directory: dir.sub("central"), wallClock: clock.now))
    }

    @Test func whoMaySetWhichPassword() throws {
        let dir = TempDirectory("console-pw")
        defer { dir.remove() }
        let central = try Self.central(dir, clock: ManualClock())
        let boss = central.acting(as: "boss")
        let short = #expect(throws: NodeError.self) {
            try boss.access.setConsolePassword(user: "hana", password: "short")
        }
        #expect(short?.code == .invalidInput && short?.field == .password)
        let cashier = #expect(throws: NodeError.self) {
            try boss.access.setConsolePassword(user: "amy", password: "long-enough-1")
        }
        #expect(cashier?.code == .forbidden)
        #expect(throws: NodeError.self) {
            try boss.access.setConsolePassword(user: "nobody", password: "long-enough-1")
        }
        let other = #expect(throws: NodeError.self) {
            try central.acting(as: "fay").access.setConsolePassword(user: "hana", password: "long-enough-1")
        }
        #expect(other?.message.contains("may not manage users") == true)
        #expect(try !central.access.hasConsolePassword("hana"))
        _ = try central.acting(as: "hana").access.setConsolePassword(user: "hana", password: "her-own-pass")
        _ = try boss.access.setConsolePassword(user: "fay", password: "set-by-admin")
        #expect(try central.access.hasConsolePassword("hana") && central.access.hasConsolePassword("fay"))
        // Only the bcrypt hash is kept.
        let row = try #require(try central.store.consolePassword(user: "hana"))
        #expect(row.passwordHash.hasPrefix("$2") && !row.passwordHash.contains("her-own-pass"))
        #expect(try boss.access.auditLog().filter { $0.action == "user.set_password" }.count == 2)
    }

    @Test func sessionsEndIdleAfterThirtyMinutesAbsoluteAfterTwelveHoursAndWithANewPassword() throws {
        let dir = TempDirectory("console-session")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try Self.central(dir, clock: clock)
        _ = try central.acting(as: "boss").access.setConsolePassword(user: "hana", password: "her-own-pass")
        let login = try central.access.consoleLogin(user: "hana", password: "her-own-pass")
        #expect(login.session.role == .hqStaff && login.session.csrf.count == 64)
        #expect(try central.store.consoleSession(tokenHash: login.token) == nil)  // only its hash is stored
        for _ in 0..<24 {
            clock.advance(minutes: 29)
            #expect(try central.access.consoleSession(login.token).user == "hana")
        }
        clock.advance(minutes: 25)
        let expired = #expect(throws: NodeError.self) { try central.access.consoleSession(login.token) }
        #expect(expired?.message.contains("expired") == true)
        let second = try central.access.consoleLogin(user: "hana", password: "her-own-pass")
        clock.advance(minutes: 30)
        let idle = #expect(throws: NodeError.self) { try central.access.consoleSession(second.token) }
        #expect(idle?.message.contains("idle") == true)
        let third = try central.access.consoleLogin(user: "hana", password: "her-own-pass")
        _ = try central.acting(as: "boss").access.setConsolePassword(user: "hana", password: "a-new-pass-2")
        #expect(throws: NodeError.self) { try central.access.consoleSession(third.token) }
        #expect(throws: NodeError.self) { try central.access.consoleLogin(user: "hana", password: "her-own-pass") }
        let fourth = try central.access.consoleLogin(user: "hana", password: "a-new-pass-2")
        try central.access.consoleLogout(fourth.token)
        #expect(throws: NodeError.self) { try central.access.consoleSession(fourth.token) }
    }

    @Test func fiveWrongPasswordsLockForFifteenMinutesThenTheRightOneWorks() throws {
        let dir = TempDirectory("console-lock")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try Self.central(dir, clock: clock)
        _ = try central.acting(as: "boss").access.setConsolePassword(user: "fay", password: "fay-pass-1")
        for n in 1...5 {
            let wrong = #expect(throws: NodeError.self) {
                try central.access.consoleLogin(user: "fay", password: "guess-\(n)")
            }
            #expect(wrong?.code == .unauthorized)
        }
        let locked = #expect(throws: NodeError.self) {
            try central.access.consoleLogin(user: "fay", password: "fay-pass-1")
        }
        #expect(locked?.message.contains("locked") == true)
        clock.advance(minutes: 14)
        #expect(throws: NodeError.self) { try central.access.consoleLogin(user: "fay", password: "fay-pass-1") }
        clock.advance(minutes: 1)
        #expect(try central.access.consoleLogin(user: "fay", password: "fay-pass-1").session.user == "fay")
    }
}
