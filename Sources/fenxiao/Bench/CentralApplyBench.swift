import ArgumentParser
import Foundation
import Node
import Replication
import Storage

extension Bench {
    /// Central's side of a push, in one process and without HTTP: the wire decoding of each
    /// batch and central's `acceptPush`, timed apart, for profiling (`perf record`) the part of
    /// `retail-day`'s central figure that runs under the push lock. Give it a copy of central
    /// and of the stores after `retail-day --setup-only --keep DIR` and `bench store-phase`.
    struct CentralApply: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "central-apply", shouldDisplay: false)
        @Option(help: "Central's data folder (a copy: it is written).") var central: String
        @Option(help: "A store's data folder (repeat); its own changes are pushed.") var store: [String]
        @Option var batch = 1000
        @Flag(help: "Print the statements central ran, by total time.") var sqlProfile = false
        @Flag var json = false

        struct Result: Encodable {
            let changes: Int
            let applied: Int
            let duplicates: Int
            let decode_s: Double
            let accept_s: Double
            let accept_changes_per_s: Double
            let statements: Int
        }

        func validate() throws {
            guard (1...5000).contains(batch) else { throw ValidationError("--batch must be 1…5000 (a push's batch)") }
            guard !store.isEmpty else { throw ValidationError("give at least one --store") }
        }

        func run() throws {
            let central = try FenxiaoNode.open(directory: central)
            var queues: [(NodeID, [String])] = []
            for path in store {
                let node = try FenxiaoNode.open(directory: path)
                let me = node.identity.node
                let own = try node.read { try $0.changes(of: me, after: 0, limit: 10_000_000) }
                queues.append(
                    (
                        me,
                        stride(from: 0, to: own.count, by: batch).map {
                            SyncWire.PushRequest.encode(Array(own[$0..<min(own.count, $0 + batch)]))
                        }
                    ))
            }
            let profile = StatementProfile()
            if sqlProfile { try central.store.profileStatements { profile.add($0, $1) } }
            var decode = 0.0, apply = 0.0, changes = 0, applied = 0, duplicates = 0
            for round in 0..<(queues.map(\.1.count).max() ?? 0) {
                for (origin, bodies) in queues where round < bodies.count {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let batch = try Array(bodies[round].utf8).withUnsafeBytes { try PreparedPayloads.decodeBatch($0) }
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    let response = try central.sync.acceptPush(from: origin, changes: batch)
                    let t2 = DispatchTime.now().uptimeNanoseconds
                    decode += Double(t1 - t0) / 1e9
                    apply += Double(t2 - t1) / 1e9
                    changes += batch.count
                    applied += response.applied
                    duplicates += response.duplicates
                }
            }
            if json {
                print(
                    CommonOptions.encode(
                        Result(
                            changes: changes, applied: applied, duplicates: duplicates, decode_s: decode,
                            accept_s: apply, accept_changes_per_s: Double(changes) / apply,
                            statements: profile.statements)))
                return
            }
            print(
                "\(changes) changes (\(applied) new): decode \(String(format: "%.2f", decode)) s (\(Int(Double(changes) / decode))/s), "
                    + "accept \(String(format: "%.2f", apply)) s (\(Int(Double(changes) / apply))/s)")
            if sqlProfile { print(profile.table(changes: changes)) }
        }
    }
}

/// Statements by SQL text: how often and how long (for `central-apply --sql-profile`).
final class StatementProfile: @unchecked Sendable {
    // @unchecked: only the writer connection's thread adds, and the table is read after.
    private let lock = NSLock()
    private var rows: [String: (count: Int, seconds: Double)] = [:]

    func add(_ sql: String, _ seconds: Double) {
        lock.withLock {
            let key = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let old = rows[key] ?? (0, 0)
            rows[key] = (old.count + 1, old.seconds + seconds)
        }
    }

    var statements: Int { lock.withLock { rows.values.reduce(0) { $0 + $1.count } } }

    func table(changes: Int) -> String {
        lock.withLock {
            let total = rows.values.reduce(0) { $0 + $1.count }
            let time = rows.values.reduce(0) { $0 + $1.seconds }
            var lines = [
                "\(total) statements (\(String(format: "%.1f", Double(total) / Double(max(1, changes)))) a change), "
                    + "\(String(format: "%.2f", time)) s in SQLite"
            ]
            for (sql, row) in rows.sorted(by: { $0.value.seconds > $1.value.seconds }).prefix(40) {
                lines.append(
                    String(format: "%7d %6.3f s  ", row.count, row.seconds) + String(sql.prefix(150)))
            }
            return lines.joined(separator: "\n")
        }
    }
}
