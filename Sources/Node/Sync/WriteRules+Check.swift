import Replication

extension WriteRules {
    /// The bound for integers in fields the table does not list (covers ms timestamps).
    static let genericInt: ClosedRange<Int64> = -10_000_000_000_000...10_000_000_000_000

    /// Refuses a change whose values are outside the table's bounds, naming the field and the
    /// limit. `fromStore`: the writer is a store, so fields a closed kind does not list are
    /// refused too. Runs in central's push check and before every local write commits.
    public static func checkValues(_ c: ChangeRecord, fromStore: Bool) throws(NodeError) {
        guard c.entity.utf8.count <= Limits.maxEntityBytes, !c.entity.isEmpty else {
            throw NodeError(
                .invalidInput, "\(c.kind): entity id must be 1–\(Limits.maxEntityBytes) bytes; nothing written")
        }
        let rule = Self.rule(for: c.kind)
        do {
            // Nearly every change passes: check its fields as they come, without sorting them.
            try checkFields(c.fields, kind: c.kind, entity: c.entity, rule: rule, fromStore: fromStore)
        } catch {
            // A refusal names the first offending field in name order, whatever the dictionary's order.
            try checkFields(
                c.fields.sorted(by: { $0.key < $1.key }), kind: c.kind, entity: c.entity, rule: rule,
                fromStore: fromStore)
            throw error
        }
    }

    /// Checks the `fields` of a change of `kind` to `entity` in the order given; throws for the
    /// first one outside the table.
    static func checkFields<S: Sequence<(key: String, value: JSONValue)>>(
        _ fields: S, kind: EntityKind, entity: String, rule: KindRule?, fromStore: Bool
    ) throws(NodeError) {
        func subject() -> String { "\(kind) \(entity.utf8.count > 64 ? String(entity.prefix(64)) + "…" : entity)" }
        func fail(_ field: String, _ problem: String) -> NodeError {
            NodeError(.invalidInput, "\(subject()): field \(field) \(problem); nothing written")
        }
        let table = rule?.fields ?? []
        // The rule's fields are found by position in a borrowed buffer: copying a field's rule
        // (its name, bound and request names) for every field of every change was most of
        // this check's cost on central's pushes.
        try table.withUnsafeBufferPointer { (table) throws(NodeError) in
            for (key, value) in fields {
                guard key.utf8.count <= Limits.maxIDBytes else {
                    throw fail(String(key.prefix(32)) + "…", "has a name over \(Limits.maxIDBytes) bytes")
                }
                if value.isNull { continue }
                if let found = table.firstIndex(where: { $0.name == key }) {
                    try check(value, table[found].bound, key) { name, problem in
                        let field = table[found]
                        var error = fail(name, problem)
                        guard !field.request.isEmpty else { return error }
                        var segments: [FieldMessage.Segment] = [.text("\(subject()): field \(name) (")]
                        for (i, f) in field.request.enumerated() {
                            segments += (i > 0 ? [.text("/")] : []) + [.field(f)]
                        }
                        segments.append(.text(") \(problem); nothing written"))
                        error.text = FieldMessage(segments: segments)
                        error.field = field.request.first
                        return error
                    }
                } else if fromStore, rule?.closed == true {
                    throw fail(key, "is not one a store writes for \(kind) (see the write rules in sync/PROTOCOL.md)")
                } else {
                    try checkGeneric(value, key, depth: 0, fail)
                }
            }
        }
    }

    static func check(
        _ value: JSONValue, _ bound: FieldBound, _ key: String, _ fail: (String, String) -> NodeError
    ) throws(NodeError) {
        switch bound {
        case .text(let max):
            guard let s = value.stringValue else { throw fail(key, "must be text") }
            guard s.utf8.count <= max else {
                throw fail(
                    key,
                    "is \(s.utf8.count) bytes; at most \(max) are accepted (a Chinese character takes 3): shorten it")
            }
        case .oneOf(let allowed):
            guard let s = value.stringValue, allowed.contains(s) else {
                throw fail(key, "must be one of \(allowed.joined(separator: ", "))")
            }
        case .int(let range):
            guard let n = value.intValue else { throw fail(key, "must be a whole number") }
            guard range.contains(n) else {
                throw fail(
                    key, "is \(grouped(n)); it must be \(grouped(range.lowerBound))…\(grouped(range.upperBound))")
            }
        case .flag:
            guard value.boolValue != nil else { throw fail(key, "must be true or false") }
        case .any:
            try checkGeneric(value, key, depth: 0, fail)
        }
    }

    static func checkGeneric(_ value: JSONValue, _ path: String, depth: Int, _ fail: (String, String) -> NodeError)
        throws(NodeError)
    {
        switch value {
        case .string(let s) where s.utf8.count > Limits.maxStringBytes:
            throw fail(path, "is \(s.utf8.count) bytes; at most \(Limits.maxStringBytes) are accepted")
        case .int(let n) where !genericInt.contains(n):
            throw fail(path, "is \(grouped(n)); numbers must be within ±\(grouped(genericInt.upperBound))")
        case .array(let items):
            guard depth < Limits.maxDepth, items.count <= 10_000 else {
                throw fail(path, "nests too deeply or is too long")
            }
            for (i, item) in items.enumerated() { try checkGeneric(item, "\(path)[\(i)]", depth: depth + 1, fail) }
        case .object(let members):
            guard depth < Limits.maxDepth, members.count <= 10_000 else {
                throw fail(path, "nests too deeply or is too long")
            }
            for (k, item) in members.sorted(by: { $0.key < $1.key }) {
                guard k.utf8.count <= Limits.maxIDBytes else {
                    throw fail("\(path).\(k.prefix(32))…", "has a key over \(Limits.maxIDBytes) bytes")
                }
                try checkGeneric(item, "\(path).\(k)", depth: depth + 1, fail)
            }
        default: break
        }
    }
}
