/// A push body, `{"changes":[…]}`, read straight into change records.
///
/// Central reads every pushed batch before its write lock, on the core its writer shares
/// with the stores' requests. The general path builds a tree of ``JSONValue``s, looks each of
/// a change's keys up in a dictionary of it (``ChangeRecord/init(json:)``), frees the tree,
/// and writes every change's fields again as canonical text — ~0.5 s of CPU for a retail day
/// of four stores. This reader walks the bytes once: a change's keys are matched as they
/// come, its values read as their types, and the bytes of its fields object are kept as the
/// canonical text when they already are (no whitespace, each object's keys in ascending
/// UTF-8 order, no escapes, no `-0`: exactly what ``JSONValue/write(into:)-([UInt8])``
/// produces) instead of being written again.
///
/// It accepts what the general path accepts, with the same changes: on anything else (a
/// malformed body, an invalid change, a duplicate key, nesting past the limit) it gives up
/// and the caller reads the body the general way, which says what is wrong and where.
extension ChangeRecord {
    /// The changes of a push body, or nil when it is not a well-formed batch of valid changes.
    static func directBatch(
        _ buffer: UnsafeRawBufferPointer, maxDepth: Int = JSONParser.defaultMaxDepth,
        prepare: (inout ChangeRecord) -> Void
    ) -> [ChangeRecord]? {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
        var reader = JSONReader(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: buffer.count, maxDepth: maxDepth)
        return try? reader.readBatchDocument(prepare: prepare)
    }
}

extension JSONReader {
    /// Thrown to give the direct read up; its message is never shown (the general path
    /// reports the body's fault).
    private var giveUp: JSONParseError { JSONParseError(offset: i, message: "not read directly") }

    /// The whole body: one object whose `changes` is an array of changes; other keys are
    /// read and ignored, as the general path ignores them.
    mutating func readBatchDocument(prepare: (inout ChangeRecord) -> Void) throws(JSONParseError) -> [ChangeRecord] {
        skipWhitespace()
        guard i < count, p[i] == UInt8(ascii: "{"), maxDepth >= 1 else { throw giveUp }
        i += 1
        skipWhitespace()
        var changes: [ChangeRecord]?
        var keys: [String] = []
        while true {
            let key = try readKey()
            guard !keys.contains(key) else { throw giveUp }
            keys.append(key)
            if key == "changes" {
                changes = try readChangeArray(prepare: prepare)
            } else {
                _ = try parseValue(depth: 1)
            }
            if try readEnd(of: UInt8(ascii: "}")) { break }
        }
        skipWhitespace()
        guard i == count, let changes else { throw giveUp }
        return changes
    }

    /// A key and its colon, with the whitespace around them.
    private mutating func readKey() throws(JSONParseError) -> String {
        guard i < count, p[i] == JSONReader.quote else { throw giveUp }
        let key = try parseString()
        skipWhitespace()
        guard i < count, p[i] == JSONReader.colon else { throw giveUp }
        i += 1
        skipWhitespace()
        return key
    }

    /// After a member or an item: true at the closing `end`, false after a comma.
    private mutating func readEnd(of end: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard i < count else { throw giveUp }
        let b = p[i]
        i += 1
        if b == JSONReader.comma {
            skipWhitespace()
            return false
        }
        guard b == end else { throw giveUp }
        return true
    }

    private mutating func readChangeArray(prepare: (inout ChangeRecord) -> Void) throws(JSONParseError)
        -> [ChangeRecord]
    {
        guard i < count, p[i] == UInt8(ascii: "["), maxDepth >= 2 else { throw giveUp }
        i += 1
        skipWhitespace()
        var changes: [ChangeRecord] = []
        if i < count, p[i] == UInt8(ascii: "]") {
            i += 1
            return changes
        }
        while true {
            var change = try readChange()
            prepare(&change)
            changes.append(change)
            if try readEnd(of: UInt8(ascii: "]")) { return changes }
        }
    }

    /// One change object, validated as ``ChangeRecord/init(json:)`` validates it.
    private mutating func readChange() throws(JSONParseError) -> ChangeRecord {
        guard i < count, p[i] == UInt8(ascii: "{"), maxDepth >= 3 else { throw giveUp }
        i += 1
        skipWhitespace()
        var origin: NodeID?
        var seq: Int64?
        var hlc: Int64?
        var kind: EntityKind?
        var entity: String?
        var op: ChangeOp?
        var fields: Fields?
        var fieldsText: String?
        var context = VersionVector()
        var scope: Scope?
        var seen: UInt16 = 0
        var otherKeys: [String] = []
        while true {
            let (known, key) = try readChangeKey()
            let bit: UInt16
            switch known {
            case 0: (bit, origin) = (1, NodeID(try readString()))
            case 1: (bit, seq) = (2, try readInteger())
            case 2: (bit, hlc) = (4, try readInteger())
            case 3: (bit, kind) = (8, EntityKind(try readString()))
            case 4: (bit, entity) = (16, try readString())
            case 5: (bit, op) = (32, ChangeOp(rawValue: try readString()))
            case 6:
                bit = 64
                guard i < count, p[i] == UInt8(ascii: "{") else { throw giveUp }
                let start = i
                var canonical = true
                guard case .object(let object) = try readTracked(depth: 3, canonical: &canonical) else {
                    throw giveUp
                }
                fields = object
                if canonical {
                    fieldsText = String(
                        decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
                }
            case 7:
                bit = 128
                // The empty context most changes carry, read without building a value for it.
                if i + 1 < count, p[i] == UInt8(ascii: "{"), p[i + 1] == UInt8(ascii: "}") {
                    i += 2
                    break
                }
                guard let vector = try? ChangeRecord.versionVector(try parseValue(depth: 3)) else { throw giveUp }
                context = vector
            case 8: (bit, scope) = (256, Scope(try readString()))
            default:
                bit = 0
                guard !otherKeys.contains(key) else { throw giveUp }
                otherKeys.append(key)
                _ = try parseValue(depth: 3)
            }
            guard seen & bit == 0 else { throw giveUp }
            seen |= bit
            if try readEnd(of: UInt8(ascii: "}")) { break }
        }
        guard let origin, let seq, let hlc, let kind, let entity, !entity.isEmpty, let op, let fields, let scope else {
            throw giveUp
        }
        var change = ChangeRecord(
            origin: origin, seq: seq, hlc: HLC(rawValue: hlc), kind: kind, entity: entity, op: op, fields: fields,
            context: context, scope: scope)
        if let fieldsText {
            change.keepCanonicalFields(fieldsText)
        } else {
            change.prepareCanonicalFields()
        }
        return change
    }

    /// The keys of a change, in the order ``readChangeKey()`` numbers them.
    private static let changeKeys: [StaticString] = [
        "origin", "seq", "hlc", "kind", "entity", "op", "fields", "ctx", "scope",
    ]

    /// A key of a change and its colon: its number in ``changeKeys`` when its bytes are
    /// exactly one of them (no escapes) — the nine keys every change repeats are matched, not
    /// made into strings (a tenth of the reading); a key written otherwise is read as any key
    /// and numbered by what it decodes to (-1: not a change's key).
    private mutating func readChangeKey() throws(JSONParseError) -> (Int, String) {
        guard i < count, p[i] == JSONReader.quote else { throw giveUp }
        var end = i + 1
        while end < count, p[end] != JSONReader.quote, p[end] != JSONReader.backslash { end += 1 }
        if end < count, p[end] == JSONReader.quote {
            let start = i + 1
            let length = end - start
            for (n, key) in Self.changeKeys.enumerated() where key.utf8CodeUnitCount == length {
                var k = 0
                while k < length, p[start + k] == key.utf8Start[k] { k += 1 }
                if k == length {
                    i = end + 1
                    skipWhitespace()
                    guard i < count, p[i] == JSONReader.colon else { throw giveUp }
                    i += 1
                    skipWhitespace()
                    return (n, "")
                }
            }
        }
        // Written with escapes: still the key it decodes to (a change with it twice is refused).
        let key = try readKey()
        return (Self.changeKeys.firstIndex { $0.description == key } ?? -1, key)
    }

    private mutating func readString() throws(JSONParseError) -> String {
        guard i < count, p[i] == JSONReader.quote else { throw giveUp }
        return try parseString()
    }

    private mutating func readInteger() throws(JSONParseError) -> Int64 {
        guard i < count, p[i] == JSONReader.minus || (p[i] >= JSONReader.zero && p[i] <= JSONReader.nine) else {
            throw giveUp
        }
        return try parseInteger()
    }

    /// ``readEnd(of:)`` inside a fields value, clearing `canonical` at any whitespace.
    private mutating func readTrackedEnd(of end: UInt8, canonical: inout Bool) throws(JSONParseError) -> Bool {
        if skippedWhitespace() { canonical = false }
        guard i < count else { throw giveUp }
        let b = p[i]
        i += 1
        if b == JSONReader.comma {
            if skippedWhitespace() { canonical = false }
            return false
        }
        guard b == end else { throw giveUp }
        return true
    }

    /// Skips whitespace; true when there was some (so the text around it is not canonical).
    private mutating func skippedWhitespace() -> Bool {
        let start = i
        skipWhitespace()
        return i != start
    }

    /// ``parseValue(depth:)``, clearing `canonical` when the value's bytes are not its
    /// canonical text.
    private mutating func readTracked(depth: Int, canonical: inout Bool) throws(JSONParseError) -> JSONValue {
        guard i < count else { throw giveUp }
        switch p[i] {
        case JSONReader.quote:
            let start = i
            let text = try parseString()
            // An escape always takes more bytes than what it stands for.
            if i - start - 2 != text.utf8.count { canonical = false }
            return .string(text)
        case UInt8(ascii: "{"):
            return try readTrackedObject(depth: depth + 1, canonical: &canonical)
        case UInt8(ascii: "["):
            return try readTrackedArray(depth: depth + 1, canonical: &canonical)
        case JSONReader.minus:
            let number = try parseInteger()
            if number == 0 { canonical = false }  // "-0" is written "0"
            return .int(number)
        default:
            return try parseValue(depth: depth)  // a non-negative integer, true, false, null
        }
    }

    private mutating func readTrackedObject(depth: Int, canonical: inout Bool) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw giveUp }
        i += 1  // '{'
        if skippedWhitespace() { canonical = false }
        if i < count && p[i] == UInt8(ascii: "}") {
            i += 1
            return .object([:])
        }
        let base = members.count
        while true {
            guard i < count && p[i] == JSONReader.quote else { throw giveUp }
            let keyOffset = i
            let key = try parseString()
            if i - keyOffset - 2 != key.utf8.count { canonical = false }
            if canonical, members.count > base, !members[members.count - 1].key.utf8.lexicographicallyPrecedes(key.utf8)
            {
                canonical = false
            }
            if skippedWhitespace() { canonical = false }
            guard i < count && p[i] == JSONReader.colon else { throw giveUp }
            i += 1
            if skippedWhitespace() { canonical = false }
            let value = try readTracked(depth: depth, canonical: &canonical)
            members.append(Member(key: key, value: value, offset: keyOffset))
            if try readTrackedEnd(of: UInt8(ascii: "}"), canonical: &canonical) { break }
        }
        return try popObject(from: base)  // a duplicate key throws: the general reader reports it
    }

    private mutating func readTrackedArray(depth: Int, canonical: inout Bool) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw giveUp }
        i += 1  // '['
        if skippedWhitespace() { canonical = false }
        if i < count && p[i] == UInt8(ascii: "]") {
            i += 1
            return .array([])
        }
        let base = items.count
        while true {
            items.append(try readTracked(depth: depth, canonical: &canonical))
            if try readTrackedEnd(of: UInt8(ascii: "]"), canonical: &canonical) { break }
        }
        return popArray(from: base)
    }
}
