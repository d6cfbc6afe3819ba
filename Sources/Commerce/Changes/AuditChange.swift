import Replication

/// An `audit` record: who did what, to what, when (milliseconds since 1970).
public struct AuditChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case user, action, subject, at
    }
    public static let kind = EntityKind.audit

    public var user: String
    public var action: String
    public var subject: String?
    public var atMillis: Int64

    public init(user: String, action: String, subject: String?, atMillis: Int64) {
        self.user = user
        self.action = action
        self.subject = subject
        self.atMillis = atMillis
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        user = try f.string(.user)
        action = try f.string(.action)
        subject = try f.optionalString(.subject)
        atMillis = try f.int(.at)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.user, user)
        f.set(.action, action)
        f.setOrNull(.subject, subject)
        f.set(.at, atMillis)
    }
}
