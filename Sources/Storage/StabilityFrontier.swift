import GRDB
import Replication

/// Central's causal-stability frontier (docs/STABILITY.md, sync/PROTOCOL.md §8.8).
///
/// Every store promises, with each pull, a stamp at or below which it will push no new
/// change (``StoreReader/ownStablePoint()``); central keeps the highest promise of each store
/// (`peers.stable_hlc`). The frontier is the lowest promise over the stores that are not
/// retired, capped by central's own clock — the later of its last stamp and its wall clock less
/// the maximum offset, since central's next change is stamped above both (as long as its wall
/// clock never steps back by more than the maximum offset, the bound's own assumption): no new
/// change stamped at or below it can reach central any more — central refuses one, 409 — so
/// history below it is final.
public struct StabilityFrontier: Sendable, Equatable, Codable {
    /// The frontier's stamp (`HLC.rawValue`); 0 while an enrolled store has never promised.
    public var hlc: Int64
    /// The stores whose promise is the frontier: the ones holding it back (empty when
    /// central's clock is the limit).
    public var held_by: [String]

    public init(hlc: Int64, held_by: [String]) {
        self.hlc = hlc
        self.held_by = held_by
    }
}

extension StoreReader {
    /// Central: the frontier at central's wall clock `wallMillis` (see ``StabilityFrontier``).
    /// `forSnapshotOf` computes a snapshot's cutoff for that new store instead: over the other
    /// stores that have promised at least once (``NodeStore/writeSnapshot(for:into:)``) — or,
    /// with `onlyPromised` false, over every other store (what the snapshot may fold below:
    /// no change stamped under it can arrive any more).
    public func stabilityFrontier(
        wallMillis: Int64, forSnapshotOf newStore: NodeID? = nil, onlyPromised: Bool = true
    ) throws -> StabilityFrontier {
        var lowest: Int64?
        var holders: [String] = []
        try db.eachRow(
            """
            SELECT node, stable_hlc FROM peers
            WHERE retired_at IS NULL AND token_hash NOT LIKE '%:admin' AND (? = '' OR (node <> ? AND (? = 0 OR stable_hlc > 0)))
            ORDER BY node
            """,
            { bind in
                bind(newStore?.rawValue ?? "")
                bind(newStore?.rawValue ?? "")
                bind(onlyPromised)
            }
        ) { row in
            let promise = row.int64(1)
            if lowest == nil || promise < lowest ?? 0 {
                lowest = promise
                holders = [row.text(0)]
            } else if promise == lowest {
                holders.append(row.text(0))
            }
        }
        let bound = try Meta.clockBound(db)
        let wall = HLC(wallMillis: max(0, wallMillis - bound.maxOffsetMillis), counter: 0)
        let own = max(try Meta.hlc(db), wall).rawValue
        guard let lowest, lowest <= own else { return StabilityFrontier(hlc: own, held_by: []) }
        return StabilityFrontier(hlc: lowest, held_by: holders)
    }

    /// Central: what `node` last promised (0 before its first promise).
    public func stablePromise(of node: NodeID) throws -> Int64 {
        try db.firstRow("SELECT stable_hlc FROM peers WHERE node = ?", { $0(node.rawValue) }) { $0.int64(0) } ?? 0
    }

    /// Central: the highest seq of `node` that central's latest `fenxiao backup` holds.
    public func durableSeq(of node: NodeID) throws -> Int64 {
        try db.firstRow("SELECT durable_seq FROM peers WHERE node = ?", { $0(node.rawValue) }) { $0.int64(0) } ?? 0
    }

    /// Central: the highest of its own seqs that its latest `fenxiao backup` holds (a store may
    /// drop central's changes up to it from its log).
    public func centralDurableSeq() throws -> Int64 {
        Int64(try Meta.get(db, LogCompaction.Keys.centralDurableSeq) ?? "0") ?? 0
    }

    /// A store: the stamp at or below which it will push no new change — just below its first
    /// change central has not acknowledged, or its clock when central holds everything (every
    /// later change is stamped above the clock).
    public func ownStablePoint() throws -> HLC {
        let acked = Int64(try Meta.get(db, "acked_seq") ?? "0") ?? 0
        let clock = try Meta.hlc(db)
        let firstPending = try db.firstRow(
            "SELECT hlc FROM change_log WHERE origin = ? AND seq > ? ORDER BY seq LIMIT 1",
            { bind in
                bind(identity.node.rawValue)
                bind(acked)
            }
        ) { $0.int64(0) }
        guard let firstPending else { return clock }
        return HLC(rawValue: max(0, min(clock.rawValue, firstPending - 1)))
    }
}

extension NodeStore {
    /// Central: records that `node` pulled up to `cursor` and, when it sent one, its promise
    /// (kept as the highest one seen, and never above central's clock ceiling: a store cannot
    /// promise a future central would refuse anyway).
    public func recordPull(node: NodeID, cursor: Int64, stable: HLC?) throws {
        try writeLocal { db in
            let now = wallClock()
            let ceiling = try Meta.clockBound(db).ceiling(wallMillis: now)
            try db.step(
                """
                UPDATE peers SET pull_cursor = max(pull_cursor, ?), last_pull = ?,
                    stable_hlc = max(stable_hlc, ?) WHERE node = ?
                """
            ) { bind in
                bind(cursor)
                bind(now)
                bind(min(stable ?? .zero, ceiling).rawValue)
                bind(node.rawValue)
            }
            try publishPeer(db, node: node.rawValue, enrollment: false)
        }
    }

    /// Central: retires a store for good — its token stops working and it no longer holds the
    /// frontier back. Returns false when no such store is enrolled.
    public func retirePeer(node: String) throws -> Bool {
        try writeLocal { db in
            try db.step("UPDATE peers SET revoked = 1, retired_at = ? WHERE node = ? AND retired_at IS NULL") { bind in
                bind(wallClock())
                bind(node)
            }
            if db.changesCount > 0 {
                try publishPeer(db, node: node, enrollment: true)
                return true
            }
            return try db.firstRow("SELECT 1 FROM peers WHERE node = ?", { $0(node) }) { _ in true } ?? false
        }
    }

    /// Central: after a `fenxiao backup`, what the copy holds of each store (its version
    /// vector) becomes the stores' durable seq, and what it holds of central's own changes
    /// central's (both only ever raised).
    public func recordDurable(_ held: [String: Int64]) throws {
        try writeLocal { db in
            if let own = held[identity.node.rawValue] {
                let before = Int64(try Meta.get(db, LogCompaction.Keys.centralDurableSeq) ?? "0") ?? 0
                try Meta.set(db, LogCompaction.Keys.centralDurableSeq, String(max(before, own)))
            }
            for (node, seq) in held.sorted(by: { $0.key < $1.key }) {
                try db.step("UPDATE peers SET durable_seq = max(durable_seq, ?) WHERE node = ?") { bind in
                    bind(seq)
                    bind(node)
                }
                try publishPeer(db, node: node, enrollment: false)
            }
        }
    }

    /// A store: moves its clock to at least `hlc` (central's frontier and the store's own
    /// last promise, at the start of a sync and before `recover` re-issues changes), so every
    /// change it writes next is stamped above them.
    public func observeClock(_ hlc: HLC) throws {
        try writeLocal { db in
            var clock = HybridClock(last: try Meta.hlc(db))
            // Bounded like every received stamp (central never announces beyond its ceiling).
            clock.observe(
                hlc, wallMillis: try Meta.trustedWall(db, wallMillis: wallClock()), bound: try Meta.clockBound(db))
            try Meta.set(db, "hlc", String(clock.last.rawValue))
        }
    }
}
