import Commerce
import Replication
import Storage

extension Sync {
    /// Every conflict, or those with `status`.
    public func conflicts(status: ConflictNoteRegister.Status? = nil) throws(NodeError) -> [ConflictView] {
        try read { r in try r.conflicts(status: status?.rawValue) }
    }

    /// Closes a conflict with a note; the note replicates like any other change.
    public func resolveConflict(id: String, note: String) throws(NodeError) -> ConflictView {
        guard !note.isEmpty else { throw NodeError(.invalidInput, "give a \(Field.note) saying how it was resolved") }
        return try write(.resolveConflicts, "conflict.resolve") { tx in
            guard try tx.reader.conflictExists(id) else {
                throw NodeError(.notFound, "conflict \(id) does not exist here; list them with `fenxiao conflicts`")
            }
            try tx.emit(ConflictNoteRegister.resolved(note), entity: id, scope: .global)
            guard let view = try tx.flushed().conflicts().first(where: { $0.id == id }) else {
                throw NodeError(.notFound, "conflict \(id) vanished")
            }
            return view
        }
    }
}
