import Replication

/// The `conflict_note` register, keyed by the conflict id: how a conflict was resolved. A
/// conflict without a note is open.
public struct ConflictNoteRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case status, note
    }
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, resolved
    }
    public static let kind = EntityKind.conflictNote

    public var status: Status?
    /// What was done about it, in words.
    public var note: String?

    public init(status: Status? = nil, note: String? = nil) {
        self.status = status
        self.note = note
    }

    /// The conflict is resolved, as `note` says.
    public static func resolved(_ note: String) -> ConflictNoteRegister {
        ConflictNoteRegister(status: .resolved, note: note)
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        status = try f.optionalChoice(.status)
        note = try f.optionalString(.note)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.status, status)
        f.set(.note, note)
    }
}
