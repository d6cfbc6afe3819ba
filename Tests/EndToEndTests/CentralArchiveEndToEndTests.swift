import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// Central's archive between real nodes (a real `fenxiao serve`, real libcurl clients): once
/// the stores' settled changes left central's hot log, every reader that needs old history
/// still gets it — an order's story at head office, central's own checks and backup, a new
/// store pulling everything, a store that lost its file rejoining with its own changes — and
/// the `fenxiao archive` command and its bad input.
@Suite(.serialized) struct CentralArchiveEndToEndTests {
    typealias Snapshots = SnapshotBootstrapEndToEndTests

    /// Central's node read with its wall clock `days` ahead (the retention passes).
    static func later(_ dir: TempDirectory, days: Int64) throws -> FenxiaoNode {
        FenxiaoNode(
            store: try NodeStore.open(
                directory: dir.sub("central"), wallClock: { NodeStore.systemWallClock() + days * 86_400_000 }))
    }

    @Test func archivedChangesStillReachEveryReader() async throws {
        try await withCentral("archive-e2e") { central, dir in
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let (s1, s2, sold) = try await Snapshots.tradedDay(central: central, dir: dir, url: server.url)
            // Both stores promise past their sales and pull to the end of the log.
            for s in [s1, s2] { _ = try await Snapshots.sync(s) }
            let story = try central.orders.story(sold[1])
            let hashes = try ["s1", "s2"].map { try central.sync.status(scopeOf: $0).state_hash }
            let s1Changes = try central.read { try $0.changes(of: Fixture.node("s1"), after: 0, limit: 100_000) }

            // Two days on, with a day's retention, the stores' settled changes leave the hot log.
            let report = try Self.later(dir, days: 2).sync.archiveLog(keepDays: 1)
            #expect(report.archived > 20 && report.in_archive == report.archived, "\(report)")
            #expect(try central.orders.story(sold[1]) == story, "the story reads the archive")
            #expect(try ["s1", "s2"].map { try central.sync.status(scopeOf: $0).state_hash } == hashes)
            #expect(
                try central.read { try $0.changes(of: Fixture.node("s1"), after: 0, limit: 100_000) } == s1Changes,
                "what `recover` gets back")
            #expect(try central.read { try $0.consistencyProblems() } == [])
            let backup = try FenxiaoBinary.run(["backup", "--to", dir.sub("hq.sqlite"), "--data", dir.sub("central")])
            #expect(backup.status == 0 && backup.stdout.contains("consistency check passed"), "\(backup.stdout)")

            // The command: another run moves nothing new (the retention is the stored setting now).
            let again = try FenxiaoBinary.run(["archive", "--data", dir.sub("central")])
            #expect(
                again.status == 0 && again.stdout.contains("\(report.in_archive) in the archive"), "\(again.stdout)")
            let status = try FenxiaoBinary.run(["status", "--data", dir.sub("central")])
            #expect(status.stdout.contains("\(report.in_archive) archived (settled up to"), "\(status.stdout)")
            let bad = try FenxiaoBinary.run(["archive", "--keep-days", "0", "--data", dir.sub("central")])
            #expect(bad.status != 0 && bad.stderr.contains("keep-days"), "\(bad.stderr)")
            let atStore = try FenxiaoBinary.run(["archive", "--data", dir.sub("s2")])
            #expect(atStore.status != 0 && atStore.stderr.contains("fenxiao compact"), "\(atStore.stderr)")

            // A new store pulling every change gets the archived ones (s1's and s2's points).
            let t3 = try central.sync.enroll(node: "s3", warehouses: [])
            let s3 = try FenxiaoNode.initialize(directory: dir.sub("s3"), node: "s3", role: .store)
            try s3.store.setMeta(["central_url": server.url, "token": t3])
            _ = try await Snapshots.sync(s3, snapshot: false)
            #expect(try Snapshots.hash(s3) == central.sync.status(scopeOf: "s3").state_hash)
            #expect(try s3.members.points(of: "M1") == central.members.points(of: "M1"))

            // s1's PC dies: it rejoins from a snapshot with its own changes, archived ones too.
            let held = try central.read { try $0.heldSeq(of: Fixture.node("s1")) }
            try FileManager.default.removeItem(atPath: dir.sub("s1"))
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            let back = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)
            try back.store.setMeta(["central_url": server.url, "token": token])
            let rejoined = try await Snapshots.sync(back)
            #expect(rejoined.snapshot != nil)
            #expect(try Snapshots.hash(back) == central.sync.status(scopeOf: "s1").state_hash)
            #expect(try back.read { try $0.ownChanges(after: 0, limit: 100_000) } == s1Changes)
            let problems = try back.read { try $0.consistencyProblems() }
            #expect(problems == [], "\(problems)")
            _ = try Snapshots.sell(back, "TEA-01", times: 2, member: "M1")
            _ = try await Snapshots.sync(back)
            let now = try back.read { try $0.heldSeq(of: Fixture.node("s1")) }
            let atCentral = try central.read { try $0.heldSeq(of: Fixture.node("s1")) }
            #expect(now > held && atCentral == now)
            #expect(try Snapshots.hash(back) == central.sync.status(scopeOf: "s1").state_hash)
        }
    }
}
