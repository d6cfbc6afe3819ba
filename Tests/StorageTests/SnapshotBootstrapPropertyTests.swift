import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Testing

@testable import Storage

/// Snapshot bootstrap changes how a new store gets its state, never the state: a store that
/// loads central's snapshot at any point of a random history, then pulls what central receives
/// after it (late changes included, stamped anywhere above the frontier), ends with the rows,
/// derived state and hash of a store that pulled every change, equal to central's view of its
/// scope; a re-pull of everything from the start applies nothing twice.
@Suite struct SnapshotBootstrapPropertyTests {
    static let target = Fixture.node("s2")

    /// The generator's history, less what a real central never holds for a new store s2: s2's
    /// own changes (it is new), writes into a store's scope by anyone but that store or central
    /// (central refuses them), and the generator's node-scoped member-ledger entries (members
    /// are global: their balances are too); stock moves stay in their warehouse's scope.
    static func history(seed: UInt64) -> [ChangeRecord] {
        var gen = CheckpointEquivalenceTests.LedgerHistory(seed: seed)
        return gen.generate(steps: 260).filter { c in
            guard c.origin != target else { return false }
            switch c.scope {
            case .node(let n): return c.kind == .stockMove && (n == c.origin || c.origin == .central)
            case .global: return c.kind != .stockMove
            }
        }
    }

    /// What central's pull gives s2: global changes of other origins, its scope as central wrote it.
    /// The changes in `node`'s log, by id.
    static func log(_ node: NodeStore) throws -> Set<String> {
        Set(try node.read { try $0.rows("SELECT origin || '/' || seq FROM change_log") }.map { $0[0] as String })
    }

    static func visible(_ c: ChangeRecord) -> Bool {
        (c.scope == .global && c.origin != target) || (c.scope == .node(target) && c.origin == .central)
    }

    static func node(_ dir: TempDirectory, _ name: String, _ id: NodeID, _ role: NodeRole) throws -> NodeStore {
        try NodeStore.create(directory: dir.sub(name), identity: NodeIdentity(node: id, role: role))
    }

    @Test func aStoreStartedFromASnapshotAnywhereEqualsOneThatPulledEverything() async throws {
        let leftOut = Counter()
        let late = Counter()
        let folded = Counter()
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("snapshot-prop") { dir in
                let changes = Self.history(seed: UInt64(seed))
                var rng = SeededRandom(seed: UInt64(seed) &* 7919 &+ 5)
                do {
                    // The frontier: a stamp somewhere in the history. Central holds, per origin, a
                    // prefix of its changes: every one at or below the frontier and a few more;
                    // the rest arrives after the snapshot (all stamped above the frontier).
                    let stamps = changes.map(\.hlc).sorted()
                    let frontier = stamps[rng.below(stamps.count)]
                    var before: [ChangeRecord] = []
                    var after: [ChangeRecord] = []
                    for (_, own) in Dictionary(grouping: changes, by: \.origin).sorted(by: { $0.key < $1.key }) {
                        let ordered = own.sorted { $0.seq < $1.seq }
                        let settled = (ordered.lastIndex { $0.hlc <= frontier } ?? -1) + 1
                        let cut = min(ordered.count, settled + rng.below(8))
                        before += ordered[..<cut]
                        after += ordered[cut...]
                    }
                    late.add(after.filter(Self.visible).count)

                    let central = try Self.node(dir, "central", .central, .central)
                    for (n, token) in [("s1", "t1"), ("s3", "t3"), ("s2", "t2")] {
                        try central.enrollPeer(node: n, role: "store", token: token)
                    }
                    // s1 and s3 promised the frontier; s2, the new store, never promised (and
                    // does not count: it has nothing that could arrive below the snapshot).
                    for n in ["s1", "s3"] { try central.recordPull(node: Fixture.node(n), cursor: 0, stable: frontier) }
                    for b in LogCompactionPropertyTests.pulls(before, rng: &rng) { _ = try central.applyRemote(b) }

                    let made = try central.writeSnapshot(for: Self.target, into: dir.sub("snapshot"))
                    #expect(made.manifest.frontier == frontier.rawValue, "seed \(seed)")
                    let booted = try Self.node(dir, "booted", Self.target, .store)
                    #expect(try booted.canLoadSnapshot())
                    let manifest = try booted.loadSnapshot(from: made.file)
                    #expect(manifest == made.manifest)
                    #expect(
                        try booted.read { try $0.stateHash() }
                            == (try central.read { try $0.stateHash(scopeOf: Self.target) }), "seed \(seed): loaded")
                    #expect(try !booted.canLoadSnapshot(), "a snapshot starts a blank store only")
                    // Settled member-ledger entries travelled folded (`MemberLedgerFolding`).
                    let bases: Int64? = try booted.read {
                        try $0.rows("SELECT COALESCE(SUM(rows), 0) FROM member_bases").first?[0]
                    }
                    folded.add(Int(bases ?? 0))

                    // The rest reaches central; the store pulls after the snapshot's cursor.
                    for b in LogCompactionPropertyTests.pulls(after, rng: &rng) { _ = try central.applyRemote(b) }
                    var cursor = manifest.cursor
                    while true {
                        let page = try central.read {
                            try $0.changesForPull(node: Self.target, after: cursor, limit: 1 + rng.below(40))
                        }
                        _ = try booted.applyPull(page.changes, cursor: page.last)
                        cursor = page.last
                        if !page.more { break }
                    }

                    let reference = try Self.node(dir, "reference", Self.target, .store)
                    for b in LogCompactionPropertyTests.pulls(changes.filter(Self.visible), rng: &rng) {
                        _ = try reference.applyRemote(b)
                    }
                    let expectedHash = try reference.read { try $0.stateHash() }
                    #expect(
                        expectedHash == (try central.read { try $0.stateHash(scopeOf: Self.target) }),
                        "seed \(seed): the history is one a real central serves")
                    #expect(try booted.read { try $0.stateHash() } == expectedHash, "seed \(seed): hash")
                    // A later snapshot, the frontier moved on: central advances its folded
                    // ledgers from where the first left them, and the result is the same.
                    let top = changes.map(\.hlc).max() ?? frontier
                    for n in ["s1", "s3"] { try central.recordPull(node: Fixture.node(n), cursor: 0, stable: top) }
                    let second = try central.writeSnapshot(for: Self.target, into: dir.sub("snapshot-2"))
                    let rebooted = try Self.node(dir, "rebooted", Self.target, .store)
                    _ = try rebooted.loadSnapshot(from: second.file)
                    #expect(try rebooted.read { try $0.stateHash() } == expectedHash, "seed \(seed): second snapshot")
                    let expected = try reference.checkpointedState()
                    #expect(try rebooted.checkpointedState() == expected, "seed \(seed): second snapshot's state")
                    let got = try booted.checkpointedState()
                    #expect(
                        got == expected, "seed \(seed): \(CheckpointEquivalenceTests.firstDifference(got, expected))")
                    leftOut.add(try reference.read { try $0.changeCount() } - booted.read { try $0.changeCount() })
                    // Its log is the one a store that pulled everything keeps after compacting at
                    // the frontier: all but other stores' settled changes of compactable kinds.
                    let settled = Set(
                        changes.filter {
                            Self.visible($0) && LogCompaction.kinds.contains($0.kind.rawValue) && $0.origin != .central
                                && $0.hlc <= frontier
                        }.map(\.stamp.changeID))
                    #expect(
                        try Self.log(booted) == Self.log(reference).subtracting(settled),
                        "seed \(seed): the snapshot's log")

                    // A re-pull from the start (what `recover` does): nothing applied twice.
                    var again = ApplyReport()
                    for b in LogCompactionPropertyTests.pulls(changes.filter(Self.visible), rng: &rng) {
                        let r = try booted.applyRemote(b)
                        again.applied += r.applied
                        again.duplicates += r.duplicates
                    }
                    #expect(again.applied == 0, "seed \(seed): re-pull applied \(again.applied)")
                    #expect(try booted.read { try $0.stateHash() } == expectedHash, "seed \(seed): after re-pull")
                    #expect(try booted.read { try $0.consistencyProblems() } == [], "seed \(seed)")
                    try booted.refoldDerivedState()
                    #expect(try booted.checkpointedState() == expected, "seed \(seed): re-fold after loading")
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
        // Guards the generator: the property means something only if the snapshot left settled
        // changes out of the log and changes arrived after it.
        #expect(leftOut.value > 200, "\(leftOut.value)")
        #expect(late.value > 200, "\(late.value)")
        #expect(folded.value > 50, "member-ledger entries folded in snapshots: \(folded.value)")
    }
}
