import ArgumentParser

/// A word on the command line where a subcommand was expected but none has that name
/// (`fenxiao ordr list`), with the closest names to suggest.
struct UnknownSubcommand {
    let word: String
    let path: [String]
    let suggestions: [String]

    /// "Unknown subcommand 'ordr'. Did you mean 'order'?"
    var message: String {
        let place = path.isEmpty ? "" : " of '\(path.joined(separator: " "))'"
        let hint =
            suggestions.isEmpty
            ? " Run `fenxiao \(path.joined(separator: " ")) --help` for the list."
            : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
        return "Unknown subcommand '\(word)'\(place).\(hint)"
    }

    /// Walks `arguments` down the command tree; the first word that names no subcommand of a
    /// command that has subcommands (and no default one) is unknown. Options end the walk.
    static func find(in arguments: [String]) -> UnknownSubcommand? {
        var config = Fenxiao.configuration
        var path: [String] = []
        for word in arguments {
            guard !config.subcommands.isEmpty, config.defaultSubcommand == nil, !word.hasPrefix("-"), word != "help"
            else {
                return nil
            }
            let children = config.subcommands.map(describe)
            if let next = children.first(where: { $0.name == word || $0.config.aliases.contains(word) }) {
                config = next.config
                path.append(word)
                continue
            }
            let names = children.map(\.name)
            return UnknownSubcommand(word: word, path: path, suggestions: closest(to: word, in: names))
        }
        return nil
    }

    /// A subcommand's name and configuration (opened from its metatype).
    private static func describe(_ type: any ParsableCommand.Type) -> (name: String, config: CommandConfiguration) {
        func open<C: ParsableCommand>(_ c: C.Type) -> (name: String, config: CommandConfiguration) {
            (C._commandName, C.configuration)
        }
        return open(type)
    }

    /// Names within two edits of `word`, or that start with it, nearest first.
    static func closest(to word: String, in names: [String]) -> [String] {
        let scored = names.map { (name: $0, distance: editDistance(word, $0)) }
        let near = scored.filter { $0.distance <= 2 || $0.name.hasPrefix(word) }
        return near.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(3).map(\.name)
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}
