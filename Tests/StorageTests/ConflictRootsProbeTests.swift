import FenxiaoTesting
import GRDB
import Replication
import Testing

@testable import Storage

/// A received batch reads which conflict roots hold records once, and deletes only from
/// those; with more records than it reads, every root may hold some. (That a batch then
/// leaves exactly the records a full re-fold gives is `CheckpointEquivalenceTests`' oracle and
/// `ConflictTallyTests`' count, on random histories with overdrafts, claims and oversells.)
@Suite struct ConflictRootsProbeTests {
    static func insert(_ db: Database, id: String, root: String) throws {
        try db.execute(
            sql: """
                INSERT INTO conflicts(id, root, scope, kind, rule, subject, winner, loser, amount, unit, detail, created_hlc)
                VALUES (?, ?, 'global', 'stock', 'oversold', ?, NULL, 'x', 1, 'units', '', 0)
                """, arguments: [id, root, root])
    }

    @Test func aFewRecordsAreReadOnceAndFollowed() throws {
        try withTempDirectory("probe") { dir in
            let store = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            try store.writeLocal { db in
                try Self.insert(db, id: "a1", root: "stock:A@s1")
                let probe = ConflictRootsProbe()
                #expect(try probe.mayHold("stock:A@s1", db))
                #expect(try !probe.mayHold("stock:B@s1", db))
                try Self.insert(db, id: "b1", root: "stock:B@s1")  // after the read: not seen…
                #expect(try !probe.mayHold("stock:B@s1", db))
                probe.recorded("stock:B@s1", held: true)  // …until the applier says it wrote it
                #expect(try probe.mayHold("stock:B@s1", db))
                probe.recorded("stock:A@s1", held: false)
                #expect(try !probe.mayHold("stock:A@s1", db))
            }
        }
    }

    @Test func manyRecordsAreNotReadAndEveryRootMayHoldSome() throws {
        try withTempDirectory("probe") { dir in
            let store = try NodeStore.create(
                directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
            try store.writeLocal { db in
                for i in 0...ConflictRootsProbe.limit { try Self.insert(db, id: "c\(i)", root: "stock:S\(i)@s1") }
                let probe = ConflictRootsProbe()
                #expect(try probe.mayHold("stock:never@s1", db))
                probe.recorded("stock:never@s1", held: false)
                #expect(try probe.mayHold("stock:never@s1", db))
            }
        }
    }
}
