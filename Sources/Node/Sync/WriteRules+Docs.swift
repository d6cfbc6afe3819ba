import Replication

extension WriteRules {
    /// The write-rules table as Markdown, as `sync/PROTOCOL.md` carries it between
    /// `<!-- write-rules:begin -->` and `<!-- write-rules:end -->` (a test keeps them equal;
    /// regenerate with `fenxiao debug write-rules`).
    public static func markdown() -> String {
        var out = "| kind | a store writes | fields and bounds | what a store may author |\n"
        out += "|---|---|---|---|\n"
        for rule in table {
            let fields = rule.fields.map { f in
                "`\(f.name)` \(f.bound.summary)"
            }.joined(separator: "; ")
            let listed =
                rule.fields.isEmpty
                ? "any field, generic bounds"
                : fields + (rule.closed ? "; nothing else" : "; other fields: generic bounds")
            out += "| `\(rule.kind)` | \(rule.store.rawValue) | \(listed) | \(rule.rule) |\n"
        }
        let others = EntityKind.sorted.filter { rule(for: $0) == nil }.map { "`\($0)`" }.joined(separator: ", ")
        out += "| \(others) | no | head office only | — |\n"
        return out
    }
}
