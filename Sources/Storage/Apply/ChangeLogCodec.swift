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
        let decoder = JSONDecoder()
        let fields = try decoder.decode(Fields.self, from: Data(fieldsText.utf8))
        let ctx = try decoder.decode(VersionVector.self, from: Data(ctxText.utf8))
        return ChangeRecord(
            origin: origin, seq: row["seq"], hlc: HLC(rawValue: row["hlc"]), kind: kind, entity: row["entity"],
            op: op, fields: fields, context: ctx, scope: scope)
    }

    /// Every change held for one entity.
    static func changes(of kind: EntityKind, entity: String, db: Database) throws -> [ChangeRecord] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(columns) FROM change_log WHERE kind = ? AND entity = ?"),
            arguments: [kind.rawValue, entity]
        ).map(decode)
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
