/// The shop pages' words and refusals (merged into ``MallText/entries``).
extension MallText {
    static let shopEntries: [String: (zh: String, en: String)] = [:]

    static let shopSentences: [(pattern: String, chinese: String)] = []

    static let shopLabels: [String: String] = [:]
}
