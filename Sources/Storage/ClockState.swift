import GRDB
import Replication

/// Node-local clock bookkeeping in `node_meta` (sync/PROTOCOL.md §3.1):
///
/// - `max_clock_offset_ms`: the bound (central: `serve --max-clock-offset`; a store: as
///   central last announced it); 5 minutes when unset;
/// - `central_offset_ms` / `central_offset_at` (store): central's wall clock minus this
///   node's, measured at the last sync;
/// - `clock_offset:<node>` (central): `<offset ms>,<measured at ms>` per store.
extension Meta {
    static func clockBound(_ db: Database) throws -> ClockBound {
        guard let text = try get(db, "max_clock_offset_ms"), let ms = Int64(text) else { return .standard }
        return ClockBound(maxOffsetMillis: ms)
    }

    /// The wall clock a node trusts for bounding its clock: its own, or central's as measured
    /// at the last sync when that is later (a store whose clock is slow still follows central).
    static func trustedWall(_ db: Database, wallMillis: Int64) throws -> Int64 {
        guard let text = try get(db, "central_offset_ms"), let offset = Int64(text), offset > 0 else {
            return wallMillis
        }
        let (sum, overflow) = wallMillis.addingReportingOverflow(offset)
        return overflow ? wallMillis : sum
    }
}

/// A store's clock offset as central measured it (`store wall − central wall`).
public struct ClockOffset: Sendable, Equatable, Codable {
    public var offsetMillis: Int64
    /// Central's wall clock when it was measured.
    public var measuredAt: Int64

    public init(offsetMillis: Int64, measuredAt: Int64) {
        self.offsetMillis = offsetMillis
        self.measuredAt = measuredAt
    }

    /// "1 d 0 h 5 min ahead", "3 s behind", for operators.
    public static func describe(_ offsetMillis: Int64) -> String {
        let magnitude = offsetMillis.magnitude
        let seconds = magnitude / 1000
        let text: String
        if seconds >= 86_400 {
            text = "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h \(seconds % 3600 / 60) min"
        } else if seconds >= 3600 {
            text = "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        } else if seconds >= 60 {
            text = "\(seconds / 60) min \(seconds % 60) s"
        } else {
            text = "\(seconds) s"
        }
        return offsetMillis >= 0 ? "\(text) ahead" : "\(text) behind"
    }
}

extension NodeStore {
    /// The clock bound this node applies.
    public func clockBound() throws -> ClockBound {
        try mapErrors { try pool.read { db in try Meta.clockBound(db) } }
    }

    /// Central: records a store's measured offset, unless the stored one is recent and close
    /// (a long sync's many requests do not each write).
    public func recordClockOffset(node: NodeID, storeWallMillis: Int64) throws {
        let now = wallClock()
        let (offset, overflow) = storeWallMillis.subtractingReportingOverflow(now)
        guard !overflow else { return }
        if let held = try clockOffset(node: node), now - held.measuredAt < 60_000,
            (held.offsetMillis - offset).magnitude < 1000
        {
            return
        }
        try writeLocal { db in try Meta.set(db, "clock_offset:\(node.rawValue)", "\(offset),\(now)") }
    }

    /// Central: the offset last measured for `node`, if any.
    public func clockOffset(node: NodeID) throws -> ClockOffset? {
        try read { r in try r.clockOffset(node: node.rawValue) }
    }

    /// Store: records central's clock as measured at a sync, and the bound central announced.
    public func recordCentralClock(centralWallMillis: Int64, maxOffsetMillis: Int64?) throws -> Int64 {
        let now = wallClock()
        let offset = centralWallMillis.subtractingReportingOverflow(now).partialValue
        try writeLocal { db in
            try Meta.set(db, "central_offset_ms", String(offset))
            try Meta.set(db, "central_offset_at", String(now))
            if let maxOffsetMillis, maxOffsetMillis > 0 {
                try Meta.set(db, "max_clock_offset_ms", String(maxOffsetMillis))
            }
        }
        return offset
    }
}

extension StoreReader {
    /// Central: a store's last measured clock offset.
    public func clockOffset(node: String) throws -> ClockOffset? {
        guard let text = try meta("clock_offset:\(node)") else { return nil }
        let parts = text.split(separator: ",")
        guard parts.count == 2, let offset = Int64(parts[0]), let at = Int64(parts[1]) else { return nil }
        return ClockOffset(offsetMillis: offset, measuredAt: at)
    }

    /// Store: this node's clock offset from central (`this node − central`) at the last sync.
    public func offsetFromCentral() throws -> ClockOffset? {
        guard let text = try meta("central_offset_ms"), let centralMinusMine = Int64(text) else { return nil }
        return ClockOffset(
            offsetMillis: -centralMinusMine, measuredAt: Int64(try meta("central_offset_at") ?? "0") ?? 0)
    }

    /// The clock bound this node applies.
    public func clockBound() throws -> ClockBound { try Meta.clockBound(db) }

    /// Central: every store's last measured clock offset, by node.
    public func storeClockOffsets() throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM node_meta WHERE key LIKE 'clock_offset:%'") {
            let key: String = row["key"]
            let value: String = row["value"]
            if let offset = value.split(separator: ",").first.flatMap({ Int64($0) }) {
                out[String(key.dropFirst(13))] = offset
            }
        }
        return out
    }
}

/// Central's `clock_clamp` changes (sync/PROTOCOL.md §3.2).
enum ClockClamps {
    /// Writes one clamp per register write stamped beyond the bound, in the push's transaction.
    /// Returns the clamps written and the conflict records they added (net).
    static func emit(for writes: [ChangeRecord], db: Database, identity: NodeIdentity, wallMillis: Int64) throws -> (
        clamps: Int, conflicts: Int
    ) {
        guard identity.role == .central else { return (0, 0) }
        var tx = try LocalTransaction(db: db, identity: identity, wallMillis: wallMillis)
        for w in writes {
            let offset = w.hlc.wallMillis.subtractingReportingOverflow(wallMillis).partialValue
            try tx.emit(ClockClamp.change(for: w, offsetMillis: offset), entity: w.stamp.changeID, scope: w.scope)
        }
        try tx.finish()
        return (writes.count, tx.applier.conflictTally.delta)
    }
}
