import Foundation

/// English sentences as patterns, each with its Chinese template (`$1`… for the groups the
/// pattern catches), compiled once and tried in order: how the counter's, the console's and the
/// mall's catalogs turn a use case's sentence into Chinese. `NSRegularExpression` is immutable
/// and safe to share between threads.
public struct SentenceCatalog: @unchecked Sendable {
    /// The entries that compiled, in the order given.
    let compiled: [(regex: NSRegularExpression, chinese: String)]
    /// How many entries failed to compile (0; the catalogs' tests assert it).
    public let broken: Int

    public init(_ entries: [(pattern: String, chinese: String)]) {
        compiled = entries.compactMap { e in
            (try? NSRegularExpression(pattern: e.pattern)).map { ($0, e.chinese) }
        }
        broken = entries.count - compiled.count
    }

    /// The Chinese form of `english` from the first entry that matches, or nil.
    public func chinese(_ english: String) -> String? {
        let range = NSRange(english.startIndex..., in: english)
        for (regex, template) in compiled where regex.firstMatch(in: english, range: range) != nil {
            return regex.stringByReplacingMatches(in: english, range: range, withTemplate: template)
        }
        return nil
    }
}
