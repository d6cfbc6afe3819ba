/// The benefits pages' words and refusals (merged into ``MallText/entries``).
extension MallText {
    static let benefitEntries: [String: (zh: String, en: String)] = [:]

    static let benefitSentences: [(pattern: String, chinese: String)] = []

    static let benefitLabels: [String: String] = [:]
}
