import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// The clock bound through central's real push path (sync/PROTOCOL.md §3.1–3.2): a store a
/// day fast is accepted but cannot win an edit by its clock, central's clock is not dragged,
/// absurd stamps are refused with 400 and change nothing.
@Suite struct ClockSkewTests {
    final class Clock: @unchecked Sendable {
        // @unchecked: `millis` is guarded by `lock`.
        let lock = NSLock()
        var millis: Int64
        init(_ millis: Int64) { self.millis = millis }
        func now() -> Int64 { lock.withLock { millis } }
        func advance(_ ms: Int64) { lock.withLock { millis += ms } }
    }

    static let day: Int64 = 86_400_000
    static let minute: Int64 = 60_000

    struct Chain {
        let dir = TempDirectory("skew")
        let real = Clock(Int64(Date().timeIntervalSince1970 * 1000))
        let central: FenxiaoNode
        let s1: FenxiaoNode
        let s2: FenxiaoNode
        var fast: Clock { Clock(real.now() + ClockSkewTests.day) }

        init() throws {
            let real = self.real
            central = FenxiaoNode(
                store: try NodeStore.create(
                    directory: dir.sub("central"), identity: NodeIdentity(node: .central, role: .central),
                    wallClock: { real.now() }))
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            s1 = try Self.store("s1", dir: dir, central: central) { real.now() }
            s2 = try Self.store("s2", dir: dir, central: central) { real.now() + ClockSkewTests.day }
        }

        static func store(
            _ name: String, dir: TempDirectory, central: FenxiaoNode, clock: @escaping @Sendable () -> Int64
        ) throws
            -> FenxiaoNode
        {
            let id = try #require(NodeID(name))
            let node = FenxiaoNode(
                store: try NodeStore.create(
                    directory: dir.sub(name), identity: NodeIdentity(node: id, role: .store), wallClock: clock))
            _ = try node.store.applyPull(
                try central.read { try $0.changesForPull(node: id, after: 0, limit: 100_000).changes }, cursor: 0)
            return node
        }

        func push(_ store: FenxiaoNode, after: Int64 = 0) throws -> SyncWire.PushResponse {
            try central.sync.acceptPush(
                from: store.identity.node, changes: try store.read { try $0.ownChanges(after: after, limit: 1000) })
        }

        func centralHLC() throws -> HLC { HLC(rawValue: Int64(try central.read { try $0.meta("hlc") } ?? "0") ?? 0) }

        func clamps() throws -> [ChangeRecord] {
            try central.read { try $0.changes(of: .central, after: 0, limit: 10_000) }.filter { $0.kind == .clockClamp }
        }
    }

    @Test func aStoreADayFastIsAcceptedButCannotWinAnEditByItsClock() throws {
        let chain = try Chain()
        defer { chain.dir.remove() }
        // 16:20 real: s2 (a day fast) registers M2; it syncs at once.
        _ = try chain.s2.members.upsert(id: "M2", name: "Wang (s2)", phone: nil)
        let pushed = try chain.push(chain.s2)
        #expect(pushed.applied >= 1, "the skewed store's change is accepted")
        let clamps = try chain.clamps()
        #expect(clamps.count == 1)
        #expect(clamps.first?.entity == "s2/1")
        #expect(
            try chain.centralHLC().wallMillis <= chain.real.now() + ClockBound.defaultMaxOffsetMillis + 1,
            "central was dragged ahead")
        // 16:30 real: head office corrects the name, having seen s2's write. Without the clamp,
        // s2's day-ahead stamp would beat it (and central's bounded clock could not catch up).
        chain.real.advance(10 * Self.minute)
        _ = try chain.central.members.upsert(id: "M2", name: "Wang Fang (HQ)", phone: nil)
        #expect(
            try chain.central.members.find("M2").name == "Wang Fang (HQ)", "the later edit wins, not the faster clock")
        #expect(try chain.central.read { try $0.conflicts() }.filter { $0.subject == "member:M2.name" }.isEmpty)
        // Every node reaches the same winner from central's log, whatever order it gets it in,
        // and whatever its own wall clock says (s2 itself, a day fast).
        let log = try chain.central.read {
            try $0.changesForPull(node: chain.s2.identity.node, after: 0, limit: 100_000).changes
        }
        _ = try chain.s2.store.applyPull(log.reversed(), cursor: 0)
        #expect(try chain.s2.members.find("M2").name == "Wang Fang (HQ)")
        let fresh = try FenxiaoNode.initialize(directory: chain.dir.sub("fresh"), node: "s9", role: .store)
        for c in log.shuffled() { _ = try fresh.store.applyRemote([c]) }
        #expect(try fresh.members.find("M2").name == "Wang Fang (HQ)")
        // 16:40 real: s2 edits again after seeing head office's edit; dated by its arrival, it
        // is genuinely later and wins.
        chain.real.advance(10 * Self.minute)
        _ = try chain.s2.members.upsert(id: "M2", name: "Wang Fang", phone: nil)
        _ = try chain.push(chain.s2, after: 1)
        #expect(try chain.clamps().count == 2)
        #expect(try chain.central.members.find("M2").name == "Wang Fang")
    }

    @Test func aRePushedBatchIsNotClampedTwice() throws {
        let chain = try Chain()
        defer { chain.dir.remove() }
        _ = try chain.s2.members.upsert(id: "M2", name: "Wang", phone: nil)
        _ = try chain.push(chain.s2)
        let again = try chain.push(chain.s2)
        #expect(again.applied == 0)
        #expect(try chain.clamps().count == 1)
    }

    @Test(arguments: [
        ("Int64.max", Int64.max),
        ("negative", Int64(-1)),
        ("zero", Int64(0)),
        ("1970", HLC(wallMillis: 86_400_000, counter: 0).rawValue),
        (
            "100 years ahead",
            HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000) + 36_500 * 86_400_000, counter: 0).rawValue
        ),
        (
            "8 days ahead",
            HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000) + 8 * 86_400_000, counter: 0).rawValue
        ),
    ])
    func absurdStampsAreRefusedWith400AndChangeNothing(what: String, raw: Int64) throws {
        let chain = try Chain()
        defer { chain.dir.remove() }
        let before = try chain.central.sync.status().state_hash
        let hlcBefore = try chain.centralHLC()
        let forged = ChangeRecord(
            origin: chain.s1.identity.node, seq: 1, hlc: HLC(rawValue: raw), kind: .member, entity: "M1",
            fields: ["name": "Frozen"], context: VersionVector(), scope: .global)
        do {
            _ = try chain.central.sync.acceptPush(from: chain.s1.identity.node, changes: [forged])
            Issue.record("\(what) was accepted")
        } catch {
            #expect(error.httpStatus == 400, "\(what): \(error.message)")
            #expect(
                error.message.contains("s1/1") && error.message.contains("nothing applied"), "\(what): \(error.message)"
            )
        }
        #expect(try chain.central.sync.status().state_hash == before, "\(what) changed central")
        #expect(try chain.centralHLC() == hlcBefore, "\(what) moved central's clock")
        // The store's honest changes still flow, and the member's name is not frozen.
        _ = try chain.s1.members.upsert(id: "M5", name: "Zhao", phone: nil)
        _ = try chain.push(chain.s1)
        #expect(try chain.central.members.find("M5").name == "Zhao")
        let next = try chain.central.members.upsert(id: "M1", name: "Li again", phone: nil)
        #expect(next.name == "Li again")
        #expect(try chain.centralHLC().rawValue > 0)
    }

    @Test func aStoreCannotAuthorAClamp() throws {
        let chain = try Chain()
        defer { chain.dir.remove() }
        let forged = ChangeRecord(
            origin: chain.s1.identity.node, seq: 1, hlc: HLC(wallMillis: chain.real.now(), counter: 0),
            kind: .clockClamp,
            entity: "central/1", fields: ["of_kind": "member", "of_entity": "M1", "offset_ms": 0], scope: .global)
        #expect(throws: NodeError.self) {
            try chain.central.sync.acceptPush(from: chain.s1.identity.node, changes: [forged])
        }
    }

    @Test func centralShowsEachStoresMeasuredOffset() throws {
        let chain = try Chain()
        defer { chain.dir.remove() }
        chain.central.sync.recordClockOffset(
            of: chain.s2.identity.node, storeWallHeader: String(chain.real.now() + Self.day))
        chain.central.sync.recordClockOffset(
            of: chain.s1.identity.node, storeWallHeader: String(chain.real.now() - 2_000))
        chain.central.sync.recordClockOffset(of: chain.s1.identity.node, storeWallHeader: "not a number")
        let peers = try chain.central.sync.peers()
        let s2 = try #require(peers.first { $0.node == "s2" })
        let s1 = try #require(peers.first { $0.node == "s1" })
        #expect((s2.clock_offset_ms ?? 0) >= Self.day - 1000 && (s2.clock_offset_ms ?? 0) <= Self.day + 1000)
        #expect(s2.clock_beyond_bound == true)
        #expect(s1.clock_beyond_bound == false)
        let status = try chain.central.sync.status()
        #expect(status.store_clock_offsets_ms?["s2"] == s2.clock_offset_ms)
    }

    @Test func aSlowStoreFollowsCentralsClockAfterMeasuringIt() throws {
        let chain = try Chain()
        defer { chain.dir.remove() }
        let slowClock = chain.real
        let slow = try Chain.store("s3", dir: chain.dir, central: chain.central) {
            slowClock.now() - ClockSkewTests.day
        }
        _ = try chain.central.sync.enroll(node: "s3", warehouses: [])
        _ = try slow.store.recordCentralClock(centralWallMillis: chain.real.now(), maxOffsetMillis: nil)
        _ = try slow.members.upsert(id: "M3", name: "Slow", phone: nil)
        _ = try chain.push(slow)
        // Head office edits; the slow store pulls it, then edits after seeing it: its edit wins.
        _ = try chain.central.members.upsert(id: "M3", name: "HQ", phone: nil)
        _ = try slow.store.applyPull(
            try chain.central.read {
                try $0.changesForPull(node: slow.identity.node, after: 0, limit: 100_000).changes
            }, cursor: 0)
        _ = try slow.members.upsert(id: "M3", name: "Slow store", phone: nil)
        #expect(try slow.members.find("M3").name == "Slow store")
        #expect(try slow.read { try $0.conflicts() }.isEmpty)
        #expect(try slow.read { try $0.offsetFromCentral() }.map { $0.offsetMillis < -Self.day + 5_000 } == true)
    }
}
