/// Why a parsed JSON value is not a valid change record or sync body, and where.
///
/// `path` names the field, with the index of the change in a batch:
/// `changes[3].kind: unknown entity kind "bogus"`.
public struct ChangeRecordJSONError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where in the body: `changes[3].ctx`, `cursor`, or empty for the whole body.
    public let path: String
    /// What is wrong with the value at `path`.
    public let message: String

    /// Creates an error about the value at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, or just the message when the path is empty.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error, seen from one level up (`prefix.path`).
    func under(_ prefix: String) -> ChangeRecordJSONError {
        ChangeRecordJSONError(path: path.isEmpty ? prefix : "\(prefix).\(path)", message: message)
    }
}

extension ChangeRecord {
    /// Builds a change from a parsed JSON object, validating exactly what the `Codable`
    /// initializer validates: `origin` a ``NodeID``, `seq` and `hlc` integers, `kind` a known
    /// ``EntityKind``, `entity` a string, `op` a ``ChangeOp``, `fields` an object, `ctx`
    /// (optional, `null` = absent) an object of valid node ids to seqs ≥ 0, `scope` a ``Scope``.
    /// Unknown keys are ignored, as `JSONDecoder` ignores them.
    ///
    /// One rule is stricter than `Codable`: `entity` must not be empty.
    ///
    /// Fields are checked in the order `Codable` decodes them, so both report the same field.
    public init(json: JSONValue) throws(ChangeRecordJSONError) {
        guard case .object(let o) = json else {
            throw ChangeRecordJSONError(path: "", message: "expected a change object, found \(json.jsonTypeName)")
        }
        let originText = try Self.string(o, "origin")
        guard let origin = NodeID(originText) else {
            throw ChangeRecordJSONError(path: "origin", message: "invalid node id \(quoted(originText))")
        }
        let seq = try Self.int(o, "seq")
        let hlc = HLC(rawValue: try Self.int(o, "hlc"))
        let kindText = try Self.string(o, "kind")
        guard let kind = EntityKind(kindText) else {
            throw ChangeRecordJSONError(path: "kind", message: "unknown entity kind \(quoted(kindText))")
        }
        let entity = try Self.string(o, "entity")
        guard !entity.isEmpty else {
            throw ChangeRecordJSONError(path: "entity", message: "must not be empty")
        }
        let opText = try Self.string(o, "op")
        guard let op = ChangeOp(rawValue: opText) else {
            throw ChangeRecordJSONError(
                path: "op", message: "unknown op \(quoted(opText)) (expected \"upsert\", \"transition\" or \"void\")")
        }
        guard let fieldsValue = o["fields"] else { throw Self.missing("fields") }
        guard case .object(let fields) = fieldsValue else {
            throw ChangeRecordJSONError(
                path: "fields", message: "expected an object, found \(fieldsValue.jsonTypeName)")
        }
        let context = try Self.versionVector(o["ctx"] ?? .null)
        let scopeText = try Self.string(o, "scope")
        guard let scope = Scope(scopeText) else {
            throw ChangeRecordJSONError(
                path: "scope", message: "invalid scope \(quoted(scopeText)) (expected \"global\" or \"node:ID\")")
        }
        self.init(
            origin: origin, seq: seq, hlc: hlc, kind: kind, entity: entity, op: op, fields: fields, context: context,
            scope: scope)
        // A received change is written to the log: serialize it here, outside any write lock.
        prepareCanonicalFields()
    }

    /// Parses and validates a push body, `{"changes":[...]}`, in one pass over `bytes`.
    ///
    /// Throws ``JSONParseError`` when the bytes are not strict JSON, and
    /// ``ChangeRecordJSONError`` (naming `changes[i].field`) when the JSON is not a batch of
    /// valid changes. Keys other than `changes` are ignored.
    public static func decodeBatch(_ bytes: [UInt8]) throws -> [ChangeRecord] {
        try bytes.withUnsafeBytes { try decodeBatch($0) }
    }

    /// `decodeBatch(_:)` over borrowed bytes (for example a server's request
    /// buffer), without copying them first; `prepare` sees each change as it is decoded
    /// (central decodes their payloads there, before the write lock).
    public static func decodeBatch(
        _ buffer: UnsafeRawBufferPointer, prepare: (inout ChangeRecord) -> Void = { _ in }
    ) throws -> [ChangeRecord] {
        // Read directly when the body is a plain batch (``directBatch(_:maxDepth:prepare:)``);
        // the general path reads anything else and says what is wrong with it.
        if let changes = directBatch(buffer, prepare: prepare) { return changes }
        return try batch(from: JSONParser().parse(buffer), prepare: prepare)
    }

    /// Parses and validates a pull page, `{"changes":[...],"cursor":"123","more":true}`.
    ///
    /// Throws like `decodeBatch(_:)`; `cursor` must be a string and `more` a boolean.
    public static func decodePullPage(_ bytes: [UInt8]) throws -> (changes: [ChangeRecord], cursor: String, more: Bool)
    {
        let value = try JSONParser().parse(bytes)
        let changes = try batch(from: value)
        guard case .object(let o) = value else { throw ChangeRecordJSONError(path: "", message: "expected an object") }
        guard let cursorValue = o["cursor"] else { throw missing("cursor") }
        guard case .string(let cursor) = cursorValue else {
            throw ChangeRecordJSONError(path: "cursor", message: "expected a string, found \(cursorValue.jsonTypeName)")
        }
        guard let moreValue = o["more"] else { throw missing("more") }
        guard case .bool(let more) = moreValue else {
            throw ChangeRecordJSONError(path: "more", message: "expected a boolean, found \(moreValue.jsonTypeName)")
        }
        return (changes, cursor, more)
    }

    /// The changes of a parsed `{"changes":[...]}` body.
    static func batch(
        from value: JSONValue, prepare: (inout ChangeRecord) -> Void = { _ in }
    ) throws(ChangeRecordJSONError) -> [ChangeRecord] {
        guard case .object(let o) = value else {
            throw ChangeRecordJSONError(
                path: "", message: "expected an object with a \"changes\" array, found \(value.jsonTypeName)")
        }
        guard let changesValue = o["changes"] else { throw missing("changes") }
        guard case .array(let items) = changesValue else {
            throw ChangeRecordJSONError(
                path: "changes", message: "expected an array, found \(changesValue.jsonTypeName)")
        }
        var changes: [ChangeRecord] = []
        changes.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            do {
                var change = try ChangeRecord(json: item)
                prepare(&change)
                changes.append(change)
            } catch {
                throw error.under("changes[\(index)]")
            }
        }
        return changes
    }

    static func missing(_ key: String) -> ChangeRecordJSONError {
        ChangeRecordJSONError(path: key, message: "missing")
    }

    static func string(_ o: [String: JSONValue], _ key: String) throws(ChangeRecordJSONError) -> String {
        guard let value = o[key] else { throw missing(key) }
        guard case .string(let s) = value else {
            throw ChangeRecordJSONError(path: key, message: "expected a string, found \(value.jsonTypeName)")
        }
        return s
    }

    static func int(_ o: [String: JSONValue], _ key: String) throws(ChangeRecordJSONError) -> Int64 {
        guard let value = o[key] else { throw missing(key) }
        guard case .int(let i) = value else {
            throw ChangeRecordJSONError(path: key, message: "expected an integer, found \(value.jsonTypeName)")
        }
        return i
    }

    /// `ctx`: absent or null is the empty vector, like `decodeIfPresent`.
    /// A version vector from its JSON object form (`{"s1": 3}`).
    public static func versionVector(_ value: JSONValue) throws(ChangeRecordJSONError) -> VersionVector {
        switch value {
        case .null:
            return VersionVector()
        case .object(let o):
            var entries: [NodeID: Int64] = [:]
            entries.reserveCapacity(o.count)
            for (key, seqValue) in o {
                guard let id = NodeID(key) else {
                    throw ChangeRecordJSONError(path: "ctx", message: "invalid node id \(quoted(key))")
                }
                guard case .int(let seq) = seqValue else {
                    throw ChangeRecordJSONError(
                        path: "ctx.\(key)", message: "expected an integer, found \(seqValue.jsonTypeName)")
                }
                guard seq >= 0 else {
                    throw ChangeRecordJSONError(path: "ctx.\(key)", message: "negative seq \(seq)")
                }
                entries[id] = seq
            }
            return VersionVector(entries)
        default:
            throw ChangeRecordJSONError(path: "ctx", message: "expected an object, found \(value.jsonTypeName)")
        }
    }
}

extension JSONValue {
    /// The JSON type name used in error messages.
    var jsonTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// `text` as a JSON string literal, cut to 64 characters, safe to put in a message or a log.
private func quoted(_ text: String) -> String {
    let cut =
        text.unicodeScalars.count > 64 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(64))) + "…" : text
    return JSONValue.string(cut).canonicalText
}
