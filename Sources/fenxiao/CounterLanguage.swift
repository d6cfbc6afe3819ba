import Commerce
import Foundation

/// The language of the CLI's human output and error sentences: Chinese when the locale says so
/// (`LC_ALL`, else `LC_MESSAGES`, else `LANG` starting with `zh`, e.g. `LANG=zh_CN.UTF-8`),
/// English otherwise. `--json` output keeps its English keys and values either way.
enum OutputLanguage {
    /// Read once per process.
    static let current: Language = detect(ProcessInfo.processInfo.environment)

    static func detect(_ env: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = env[key], !value.isEmpty { return value.lowercased().hasPrefix("zh") ? .chinese : .english }
        }
        return .english
    }

    /// `english` or `chinese`, whichever the locale asks for.
    static func text(_ english: String, _ chinese: String) -> String { current == .chinese ? chinese : english }
}
