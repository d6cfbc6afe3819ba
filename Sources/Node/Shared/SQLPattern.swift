import Commerce
import Foundation
import Replication
import Storage

/// Helpers for SQL patterns built from user data.
enum SQLPattern {
    /// A LIKE pattern matching `prefix` literally, then anything.
    static func like(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
