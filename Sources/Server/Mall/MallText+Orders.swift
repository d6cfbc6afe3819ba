/// The orders pages' words and refusals (merged into ``MallText/entries``).
extension MallText {
    static let orderEntries: [String: (zh: String, en: String)] = [:]

    static let orderSentences: [(pattern: String, chinese: String)] = []

    static let orderLabels: [String: String] = [:]
}
