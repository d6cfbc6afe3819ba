import Foundation
import GRDB

/// One notification waiting for (or done with) delivery.
public struct OutboxEvent: Sendable, Equatable, Codable {
    public var id: Int64
    public var topic: String
    public var subject: String
    public var payload: String
    public var created_at: Int64
    public var delivered_at: Int64?
    public var attempts: Int64
    public var last_error: String?
}

extension StoreReader {
    /// Events after `after`, oldest first; `pendingOnly` skips delivered ones; `topic`, when
    /// given, keeps only that topic's events.
    public func outbox(
        after: Int64 = 0, limit: Int = 100, pendingOnly: Bool = false, subject: String? = nil, topic: String? = nil
    ) throws -> [OutboxEvent] {
        var sql = "SELECT * FROM outbox WHERE id > ?"
        var args: [any SQLValue] = [after]
        if pendingOnly { sql += " AND delivered_at IS NULL" }
        if let topic {
            sql += " AND topic = ?"
            args.append(topic)
        }
        if let subject {
            sql += " AND subject = ?"
            args.append(subject)
        }
        sql += " ORDER BY id LIMIT ?"
        args.append(limit)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map {
            OutboxEvent(
                id: $0["id"], topic: $0["topic"], subject: $0["subject"], payload: $0["payload"],
                created_at: $0["created_at"],
                delivered_at: $0["delivered_at"], attempts: $0["attempts"], last_error: $0["last_error"])
        }
    }
}

extension NodeStore {
    /// Marks an event delivered, or records a failed attempt. A delivered `sms.code` event loses
    /// its code: the gateway has it, and the outbox is readable by staff (`fenxiao order events`).
    public func markOutbox(id: Int64, delivered: Bool, error: String?) throws {
        try writeLocal { db in
            if delivered {
                try db.execute(
                    sql: """
                        UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL,
                          payload = CASE WHEN topic = 'sms.code' THEN json_remove(payload, '$.code') ELSE payload END
                        WHERE id = ?
                        """,
                    arguments: [wallClock(), id])
            } else {
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                    arguments: [error, id])
            }
        }
    }
}

extension LocalTransaction {
    /// Adds a notification to this node's outbox, in the same transaction as the use case.
    public func enqueue(topic: String, subject: String, payload: String) throws {
        try db.statement("INSERT INTO outbox(topic, subject, payload, created_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [topic, subject, payload, nowMillis])
    }
}
