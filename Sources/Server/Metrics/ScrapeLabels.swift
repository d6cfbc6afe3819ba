import NIOConcurrencyHelpers

/// The label values each scrape-time gauge family has shown: a value that disappears (a
/// revoked store, a conflict kind with none open) is reported as 0 rather than left
/// at its last reading (0 from then on).
final class ScrapeLabels: Sendable {
    private let box = NIOLockedValueBox<[String: Set<String>]>([:])

    /// Records `current` for `family`; returns every value to report (current and vanished).
    func update(_ family: String, _ current: Set<String>) -> [String] {
        box.withLockedValue { seen in
            let all = (seen[family] ?? []).union(current)
            seen[family] = all
            return all.sorted()
        }
    }
}
