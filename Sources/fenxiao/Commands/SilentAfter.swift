import ArgumentParser

/// `--silent-after 2h`: how long a store may go without syncing before the head-office console
/// shows it red — seconds (`90s`), minutes (`30m`) or hours (`2h`), 1 minute to 7 days.
struct SilentAfter: ExpressibleByArgument, Equatable {
    let seconds: Int

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        let unit = text.last.flatMap { units[$0] }
        guard let n = Int(unit == nil ? Substring(text) : text.dropLast()), n > 0, n <= 7 * 86_400 / (unit ?? 1)
        else { return nil }
        seconds = n * (unit ?? 1)
        guard (60...7 * 86_400).contains(seconds) else { return nil }
    }

    var defaultValueDescription: String { "\(seconds)s" }
}
