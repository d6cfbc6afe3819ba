import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Storage
import Testing

/// Central answers a pull from the log's rows as stored (`StoreReader.pullBody`): for random
/// histories (concurrent edits with version-vector contexts, every kind the generator writes),
/// every page of every store's pull, at random page sizes, is byte for byte the answer encoded
/// from the decoded page — the same changes, cursor and `more`. (With central's archive, the
/// archive property test checks the same on every page.)
@Suite struct PullBodyPropertyTests {
    @Test func everyPullPageFromRowsIsTheEncodedPage() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("pull-body") { dir in
                var gen = HistoryGenerator(seed: UInt64(seed))
                var rng = SeededRandom(seed: UInt64(seed) &* 17 &+ 3)
                do {
                    let central = try NodeStore.create(
                        directory: dir.sub("central"), identity: NodeIdentity(node: .central, role: .central))
                    _ = try central.applyRemote(gen.generate(steps: 150))
                    for store in ["s1", "s2", "s3"].compactMap(NodeID.init) {
                        let pages = try PullBodyPropertyTests.comparePages(
                            central, for: store, limit: 1 + rng.below(40))
                        #expect(pages > 0, "seed \(seed): \(store) pulled nothing")
                    }
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
    }

    /// Pages through `store`'s pull from position 0, checking each page's answer from rows
    /// against the encoded page; returns the number of pages.
    static func comparePages(_ central: NodeStore, for store: NodeID, limit: Int) throws -> Int {
        var cursor: Int64 = 0
        var pages = 0
        while true {
            let page = try central.read { try $0.changesForPull(node: store, after: cursor, limit: limit) }
            let fromRows = try central.read { try $0.pullBody(node: store, after: cursor, limit: limit) }
            let answer = SyncWire.PullResponse.encode(fromRows.body, cursor: String(fromRows.last), more: fromRows.more)
            #expect(
                String(decoding: answer, as: UTF8.self)
                    == SyncWire.PullResponse.encode(page.changes, cursor: String(page.last), more: page.more),
                "\(store) after \(cursor), limit \(limit)")
            #expect(try ChangeRecord.decodePullPage(answer).changes == page.changes)
            pages += 1
            cursor = page.last
            if !page.more { return pages }
        }
    }
}
