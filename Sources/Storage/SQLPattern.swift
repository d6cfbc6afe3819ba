import Foundation

/// Helpers for SQL patterns built from user data.
enum SQLPattern {
    /// A LIKE pattern matching `prefix` literally, then anything (use with `ESCAPE '\'`).
    static func like(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
