import GRDB

/// Which conflict roots hold records, learned once: for a received batch, or for the local
/// writes that follow one another on a node's writer (kept in ``WriterCache``).
///
/// Re-deriving a stock level, an order or a member's balance replaces the conflict records
/// under its root: a push of 5,000 changes re-derives ~8,000 of them, a sale a few, one
/// `DELETE` each, nearly always of nothing (~3 % of central's writer). When the table holds
/// few records, the roots that hold any are read once and only those roots are deleted from;
/// with many (a chain that leaves thousands of conflicts unresolved), nothing is read and
/// every root is deleted from. The set is a superset: records inserted through
/// ``ChangeApplier/insertConflicts(root:_:)`` add their root, and a root whose records were
/// removed another way is merely deleted from again (a no-op).
///
/// Used only on the writer's queue, one caller at a time (hence `@unchecked Sendable`: a
/// ``WriterCache`` keeps one between local writes).
final class ConflictRootsProbe: @unchecked Sendable {
    /// Records at most for the roots to be read.
    static let limit = 5_000

    /// nil until first asked; `.some(nil)` when there were too many records to read.
    private var roots: Set<String>??

    /// Whether `root` may hold records (false only when it is known to hold none).
    func mayHold(_ root: String, _ db: Database) throws -> Bool {
        if roots == nil { roots = .some(try Self.load(db)) }
        guard case .some(.some(let known)) = roots else { return true }
        return known.contains(root)
    }

    /// Records were written under `root` (true) or all of its records deleted (false).
    func recorded(_ root: String, held: Bool) {
        guard case .some(.some(var known)) = roots else { return }
        roots = nil  // let `known` be the only reference while it changes
        if held { known.insert(root) } else { known.remove(root) }
        roots = .some(known)
    }

    private static func load(_ db: Database) throws -> Set<String>? {
        let count =
            try db.firstRow(
                "SELECT COUNT(*) FROM (SELECT 1 FROM conflicts LIMIT ?)", { $0(Int64(limit + 1)) }, { $0.int64(0) })
            ?? 0
        guard count <= limit else { return nil }
        var known = Set<String>()
        try db.eachRow("SELECT DISTINCT root FROM conflicts", { _ in }) { known.insert($0.text(0)) }
        return known
    }
}
