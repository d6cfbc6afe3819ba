import Foundation
import GRDB

extension NodeStore {
    /// Reports every statement the writer connection runs from now on, with its SQL (not
    /// expanded: one text per prepared statement) and duration, to `record`: for profiling
    /// (`fenxiao bench central-apply --sql-profile`), never on a serving node.
    public func profileStatements(_ record: @escaping @Sendable (String, TimeInterval) -> Void) throws {
        try pool.writeWithoutTransaction { db in
            db.trace(options: .profile) { event in
                if case .profile(let statement, let duration) = event { record(statement.sql, duration) }
            }
        }
    }
}
