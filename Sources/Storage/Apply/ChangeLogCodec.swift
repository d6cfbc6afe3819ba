import Foundation
import GRDB
import Replication

/// Reads change records back from `change_log` rows.
enum ChangeLogCodec {
    static let columns = "origin, seq, hlc, kind, entity, op, fields, ctx, scope"

    static func decode(_ row: Row) throws -> ChangeRecord {
        let originText: String = row["origin"]
        let kindText: String = row["kind"]
        let opText: String = row["op"]
        let scopeText: String = row["scope"]
        guard let origin = NodeID(originText), let kind = EntityKind(kindText), let op = ChangeOp(rawValue: opText),
            let scope = Scope(scopeText)
        else {
            throw StorageError(.corrupt, "change_log row \(originText)/\(row["seq"] as Int64) is unreadable")
        }
        let fieldsText: String = row["fields"]
        let ctxText: String = row["ctx"]
        let fields = try JSONParser.fields(fieldsText)
        let ctx = try JSONParser.versionVector(ctxText)
        return ChangeRecord(
            origin: origin, seq: row["seq"], hlc: HLC(rawValue: row["hlc"]), kind: kind, entity: row["entity"],
            op: op, fields: fields, context: ctx, scope: scope)
    }

    /// Writes the change in the current row of a statement selecting ``columns`` from column
    /// `first` on, in its canonical wire form, without parsing it: the `fields` and `ctx`
    /// columns hold the canonical JSON the wire carries (the same bytes as encoding
    /// ``decode(_:)``'s change), and they go from SQLite's buffer to `out` without becoming
    /// Strings. A row whose origin, kind, operation or scope does not read back is refused as
    /// corrupt, as ``decode(_:)`` refuses it, before anything is written.
    static func write(_ row: SQLColumns, from first: CInt = 0, into out: inout [UInt8]) throws {
        let originText = row.text(first)
        let seq = row.int64(first + 1)
        let kindText = row.text(first + 3)
        let scopeText = row.text(first + 8)
        guard NodeID(originText) != nil, EntityKind(kindText) != nil,
            let op = ChangeOp(rawValue: row.text(first + 5)), Scope(scopeText) != nil
        else {
            throw StorageError(.corrupt, "change_log row \(originText)/\(seq) is unreadable")
        }
        ChangeRecord.writeCanonicalJSON(
            into: &out, context: { row.appendText(first + 7, to: &$0) }, entity: row.text(first + 4),
            fields: { row.appendText(first + 6, to: &$0) }, hlc: row.int64(first + 2), kind: kindText, op: op,
            origin: originText, scope: scopeText, seq: seq)
    }

    /// Every change held for one register or order (through `entity_history`); with
    /// `archived`, central's archive too (an order's settled changes, ``CentralArchive``).
    static func changes(of kind: EntityKind, entity: String, db: Database, archived: Bool = false) throws
        -> [ChangeRecord]
    {
        let logs = archived ? ["change_log", "change_archive"] : ["change_log"]
        return try Row.fetchAll(
            db.statement(
                logs.map { log in
                    """
                    SELECT c.origin, c.seq, c.hlc, c.kind, c.entity, c.op, c.fields, c.ctx, c.scope
                    FROM entity_history h JOIN \(log) c ON c.origin = h.origin AND c.seq = h.seq
                    WHERE h.kind = ?1 AND h.entity = ?2
                    """
                }.joined(separator: " UNION ALL ")),
            arguments: [kind.rawValue, entity]
        ).map(decode)
    }

    /// Records that a register or order change belongs to its entity's history.
    static func recordHistory(_ c: ChangeRecord, db: Database) throws {
        try db.step("INSERT OR IGNORE INTO entity_history(kind, entity, origin, seq) VALUES (?, ?, ?, ?)") { bind in
            bind(c.kind.rawValue)
            bind(c.entity)
            bind(c.origin.rawValue)
            bind(c.seq)
        }
    }
}

extension ChangeStamp {
    /// `hlc:origin:seq`, as stored in register stamps.
    var storageText: String { "\(hlc.rawValue):\(origin.rawValue):\(seq)" }

    init?(storageText: String) {
        let parts = storageText.split(separator: ":")
        guard parts.count == 3, let h = Int64(parts[0]), let o = NodeID(String(parts[1])), let s = Int64(parts[2])
        else { return nil }
        self.init(hlc: HLC(rawValue: h), origin: o, seq: s)
    }

    init(row: Row) throws {
        let originText: String = row["origin"]
        guard let origin = NodeID(originText) else {
            throw StorageError(.corrupt, "row has an invalid origin '\(originText)'")
        }
        self.init(hlc: HLC(rawValue: row["hlc"]), origin: origin, seq: row["seq"])
    }
}
