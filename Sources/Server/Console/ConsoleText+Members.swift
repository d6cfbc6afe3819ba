extension ConsoleText {
    /// Words of the members, distributors and reports screens.
    static let membersArea: Entries = [:]
}
