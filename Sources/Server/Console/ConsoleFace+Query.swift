import Foundation

/// Query strings of the console's links: every value percent-encoded to ASCII.
extension ConsoleFace {
    /// ASCII letters, digits and `-._~` (RFC 3986 unreserved; `.alphanumerics` would keep Chinese
    /// letters as they are).
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A value percent-encoded for a query string (everything but unreserved characters).
    static func queryValue(_ value: String?) -> String {
        (value ?? "").addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// A query string of the given, non-empty values (percent-encoded).
    static func query(_ values: KeyValuePairs<String, String?>) -> String {
        values.compactMap { key, value in
            guard let value, !value.isEmpty else { return nil }
            return "\(key)=\(queryValue(value))"
        }.joined(separator: "&")
    }
}
