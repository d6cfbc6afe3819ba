import ArgumentParser
import Commerce

/// `--lang en` / `--lang zh`: the language a command renders sentences in.
extension Language: ExpressibleByArgument {}
