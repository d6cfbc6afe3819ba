import ArgumentParser

/// `--sync-every 30s`: how often a store's `serve` syncs with central — seconds (`30s` or
/// `30`) or minutes (`2m`), 5 s to 1 hour.
struct SyncEvery: ExpressibleByArgument, Equatable {
    let seconds: Int

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let (digits, unit): (Substring, Int) =
            text.hasSuffix("m")
            ? (text.dropLast(), 60) : text.hasSuffix("s") ? (text.dropLast(), 1) : (Substring(text), 1)
        guard let n = Int(digits), n > 0, n <= 3600 / unit, (5...3600).contains(n * unit) else { return nil }
        seconds = n * unit
    }

    var defaultValueDescription: String { "\(seconds)s" }
}
