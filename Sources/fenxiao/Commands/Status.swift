import ArgumentParser
import Foundation
import Node
import Replication
import Storage

struct Status: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the node, pending changes, version vector and state hash.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("scope-of"), help: "On central: the state hash of a store's scope.") var scopeOf: String?

    func run(on node: FenxiaoNode) throws -> NodeStatus { try node.sync.status(scopeOf: scopeOf) }

    func human(_ s: NodeStatus) -> String {
        let vv = s.version_vector.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")
        let blocked = (s.blocked_stores ?? [:]).sorted { $0.key < $1.key }.map { store, b in
            "\nBLOCKED:         \(store) — change \(b.change ?? "?") refused: \(b.reason) (the store runs `fenxiao quarantine \(b.change ?? "N/SEQ")`)"
        }.joined()
        return """
            node \(s.node) (\(s.role))
            pending changes: \(s.pending_changes)
            version vector:  \(vv.isEmpty ? "(empty)" : vv)
            last sync:       \(s.last_sync.map { "\($0)" } ?? "never")
            state hash:      \(s.state_hash)\(blocked)
            """ + ClockLines.text(s) + Self.restoreLines(s) + Self.frontierLines(s)
                + (s.shared_log.map {
                    "\nshared log:      \($0.database) (this server holds it up to position \($0.position))"
                } ?? "")
    }

    /// A stamp (`HLC.rawValue`) as the time it carries, for people.
    static func time(_ hlc: Int64) -> String {
        "\(Date(timeIntervalSince1970: Double(HLC(rawValue: hlc).wallMillis) / 1000))"
    }

    /// The stability frontier (central: and who holds it back) and, at a store, how far its
    /// log has been compacted (docs/STABILITY.md).
    static func frontierLines(_ s: NodeStatus) -> String {
        var text = ""
        if let f = s.frontier {
            text += "\nfrontier:        " + (f.hlc > 0 ? time(f.hlc) : "none yet")
            if !f.held_by.isEmpty {
                text +=
                    " — held back by \(f.held_by.joined(separator: ", ")) (a store that will never sync again: `fenxiao enroll --retire NAME`)"
            }
        }
        if let archived = s.archived_changes {
            text +=
                "\nlog:             \(s.changes_held) change(s) hot, \(archived) archived"
                + (s.log_compacted_hlc.map { " (settled up to \(time($0)))" } ?? "")
        } else if let c = s.log_compacted_hlc {
            text += "\nlog compacted:   up to \(time(c))"
        }
        return text
    }

    /// Central after a restore: who it still waits for, since when.
    static func restoreLines(_ s: NodeStatus) -> String {
        guard let r = s.restore else { return "" }
        let since = r.since.map { " since \(Date(timeIntervalSince1970: Double($0) / 1000))" } ?? ""
        return
            "\nRESTORE:         epoch \(r.epoch)\(since): waiting for \(r.waiting.count) store(s) to sync (they give back what central lost)"
            + r.waiting.map { w in
                "\n  \(w.node): "
                    + (w.reported_seq.map { "reported seq \($0), central holds \(w.held_seq)" }
                        ?? "has not synced since the restore")
            }.joined()
    }
}
