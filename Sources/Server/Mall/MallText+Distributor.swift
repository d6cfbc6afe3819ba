/// The distributor pages' words and refusals (merged into ``MallText/entries``).
extension MallText {
    static let distributorEntries: [String: (zh: String, en: String)] = [:]

    static let distributorSentences: [(pattern: String, chinese: String)] = []

    static let distributorLabels: [String: String] = [:]
}
