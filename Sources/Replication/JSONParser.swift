/// A strict RFC 8259 JSON parser that reads UTF-8 bytes straight into ``JSONValue``.
///
/// Built for the central node, which decodes every pushed batch: one pass over the bytes, no
/// intermediate tokens, and strings without escapes are made directly from the input bytes.
///
/// Strict means anything another implementation might read differently is refused:
/// - trailing bytes after the value (other than whitespace), a byte order mark;
/// - numbers that are not integers fitting `Int64` (no fractions, no exponents, no overflow:
///   money is in fen), leading zeros, `+`, `NaN`, `Infinity`;
/// - unescaped control characters in strings, unknown escapes, `\u` escapes that leave a
///   lone surrogate, invalid UTF-8 anywhere (overlong forms, surrogates, beyond U+10FFFF);
/// - duplicate keys in one object (`JSONDecoder` silently keeps the first; a hash of the
///   canonical text must not depend on which one a reader keeps);
/// - nesting deeper than ``maxDepth`` arrays and objects, so hostile input cannot exhaust
///   the stack.
///
/// The parser holds no state between calls and assumes nothing about input size: offsets
/// are `Int`, and bounding the body size is the caller's job (the server limits it).
///
/// ```swift
/// let value = try JSONParser().parse(Array(#"{"qty":3}"#.utf8))
/// ```
public struct JSONParser: Sendable {
    /// The default nesting limit: far deeper than any change record (which nests 3 levels
    /// plus whatever a field value holds), far shallower than the stack allows.
    public static let defaultMaxDepth = 64

    /// The deepest nesting of arrays and objects accepted; a top-level `[]` is depth 1.
    public var maxDepth: Int

    /// Creates a parser that accepts at most `maxDepth` nested arrays and objects.
    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON value from UTF-8 `bytes`; only whitespace may follow it.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            parseResult(UnsafeRawBufferPointer(buffer))
        }
        return try result.get()
    }

    /// Parses one JSON value from the UTF-8 bytes in `buffer`; only whitespace may follow it.
    ///
    /// The buffer is only read during the call; the result owns all its strings.
    public func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        try parseResult(buffer).get()
    }

    /// Parses one JSON value from the UTF-8 form of `text`; only whitespace may follow it.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { buffer in
            parseResult(UnsafeRawBufferPointer(buffer))
        }
        return try result.get()
    }

    private func parseResult(_ buffer: UnsafeRawBufferPointer) -> Result<JSONValue, JSONParseError> {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            return .failure(JSONParseError(offset: 0, message: "empty input: expected a JSON value"))
        }
        var reader = JSONReader(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: buffer.count, maxDepth: maxDepth)
        do {
            let value = try reader.parseDocument()
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// Why bytes are not the JSON the parser accepts, and where.
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Zero-based byte offset of the first offending byte (the input length at unexpected end).
    public let offset: Int
    /// What is wrong, in words meant for the sender of the bytes.
    public let message: String

    /// Creates an error at byte `offset`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// `invalid JSON at byte N: message`.
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSONParseError {
    /// The message for any number that is not an `Int64` (fraction, exponent, overflow).
    static let integersOnly = "numbers must be integers that fit in 64 bits (money is in fen)"
}

// MARK: - Reader

/// The parsing state over one borrowed buffer. Every read checks `i < count` first.
struct JSONReader {
    let p: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var i = 0
    /// Reused for strings with escapes, so only the final `String` is allocated.
    var scratch: [UInt8] = []
    /// Members of the objects being parsed, innermost last (see `parseObject`).
    var members: [Member] = []
    /// Items of the arrays being parsed, innermost last (see `parseArray`).
    var items: [JSONValue] = []

    struct Member {
        var key: String
        var value: JSONValue
        /// Byte offset of the key, for the duplicate-key error.
        var offset: Int
    }

    init(bytes: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.p = bytes
        self.count = count
        self.maxDepth = maxDepth
    }

    // Byte constants.
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if i < count {
            throw error(at: i, "unexpected \(describe(p[i])) after the JSON value")
        }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < count {
            switch p[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    func error(at offset: Int, _ message: String) -> JSONParseError {
        JSONParseError(offset: offset, message: message)
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(String(UnicodeScalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }

    func unexpected(_ expected: String) -> JSONParseError {
        if i >= count { return error(at: count, "unexpected end of input: expected \(expected)") }
        return error(at: i, "unexpected \(describe(p[i])): expected \(expected)")
    }

    /// Parses the value starting at `i` (whitespace already skipped); `depth` is the number
    /// of enclosing arrays and objects.
    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard i < count else { throw unexpected("a JSON value") }
        switch p[i] {
        case JSONReader.quote:
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case JSONReader.minus, JSONReader.zero...JSONReader.nine:
            return .int(try parseInteger())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw unexpected("a JSON value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let n = literal.utf8CodeUnitCount
        let lit = literal.utf8Start
        let start = i
        for k in 0..<n {
            guard start + k < count, p[start + k] == lit[k] else {
                i = start + k
                throw unexpected("'\(literal)'")
            }
        }
        i = start + n
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw error(at: i, "nesting deeper than \(maxDepth) arrays and objects") }
        i += 1  // '{'
        skipWhitespace()
        if i < count && p[i] == UInt8(ascii: "}") {
            i += 1
            return .object([:])
        }
        // Members go on a shared stack first, so the dictionary is allocated once at its final
        // size instead of growing (and rehashing every key) while members arrive.
        let base = members.count
        while true {
            guard i < count && p[i] == JSONReader.quote else { throw unexpected("a string key") }
            let keyOffset = i
            let key = try parseString()
            skipWhitespace()
            guard i < count && p[i] == JSONReader.colon else { throw unexpected("':' after an object key") }
            i += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(Member(key: key, value: value, offset: keyOffset))
            skipWhitespace()
            guard i < count else { throw unexpected("',' or '}'") }
            let b = p[i]
            i += 1
            if b == JSONReader.comma {
                skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "}") { break }
            i -= 1
            throw unexpected("',' or '}'")
        }
        return try popObject(from: base)
    }

    /// The object of the members parsed since `base`, taken off the stack of members; a key
    /// twice in it is an error (at the second).
    mutating func popObject(from base: Int) throws(JSONParseError) -> JSONValue {
        var object = [String: JSONValue](minimumCapacity: members.count - base)
        for k in base..<members.count {
            let member = members[k]
            if object.updateValue(member.value, forKey: member.key) != nil {
                throw error(
                    at: member.offset, "duplicate key \(JSONValue.string(member.key).canonicalText) in one object")
            }
        }
        members.removeSubrange(base...)
        return .object(object)
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw error(at: i, "nesting deeper than \(maxDepth) arrays and objects") }
        i += 1  // '['
        skipWhitespace()
        if i < count && p[i] == UInt8(ascii: "]") {
            i += 1
            return .array([])
        }
        // Items go on a shared stack first, so the array is allocated once at its final size.
        let base = items.count
        while true {
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < count else { throw unexpected("',' or ']'") }
            let b = p[i]
            i += 1
            if b == JSONReader.comma {
                skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "]") { break }
            i -= 1
            throw unexpected("',' or ']'")
        }
        return popArray(from: base)
    }

    /// The array of the items parsed since `base`, taken off the stack of items.
    mutating func popArray(from base: Int) -> JSONValue {
        let array = Array(items[base...])
        items.removeSubrange(base...)
        return .array(array)
    }

    /// `-?(0|[1-9][0-9]*)`, refusing fractions, exponents and anything outside `Int64`.
    mutating func parseInteger() throws(JSONParseError) -> Int64 {
        let start = i
        let negative = p[i] == JSONReader.minus
        if negative { i += 1 }
        guard i < count, p[i] >= JSONReader.zero, p[i] <= JSONReader.nine else {
            throw unexpected("a digit after '-'")
        }
        var magnitude: UInt64 = 0
        var overflow = false
        if p[i] == JSONReader.zero {
            i += 1
            if i < count, p[i] >= JSONReader.zero, p[i] <= JSONReader.nine {
                throw error(at: i - 1, "leading zeros are not allowed in numbers")
            }
        } else {
            while i < count {
                let d = p[i] &- JSONReader.zero
                if d > 9 { break }
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                overflow = overflow || o1 || o2
                magnitude = sum
                i += 1
            }
        }
        if i < count {
            switch p[i] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                throw error(at: start, JSONParseError.integersOnly)
            default: break
            }
        }
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        if overflow || magnitude > limit { throw error(at: start, JSONParseError.integersOnly) }
        if negative {
            return magnitude == limit ? Int64.min : -Int64(magnitude)
        }
        return Int64(magnitude)
    }

    /// Parses a string literal at `i` (which is a quote) and moves past its closing quote.
    mutating func parseString() throws(JSONParseError) -> String {
        i += 1  // opening quote
        let start = i
        var j = i
        while j < count {
            let b = p[j]
            if b == JSONReader.quote {
                i = j + 1
                return String(decoding: UnsafeBufferPointer(start: p + start, count: j - start), as: UTF8.self)
            }
            if b == JSONReader.backslash {
                return try parseEscapedString(start: start, firstEscape: j)
            }
            if b < 0x20 { throw controlCharacter(at: j) }
            if b < 0x80 {
                j += 1
            } else {
                j = try validateMultibyte(at: j)
            }
        }
        throw error(at: count, "unexpected end of input: unterminated string")
    }

    func controlCharacter(at offset: Int) -> JSONParseError {
        error(at: offset, "unescaped control character \(describe(p[offset])) in a string (write it as \\u00XX)")
    }

    /// The slow path: copies the string into `scratch`, decoding escapes.
    mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        var j = firstEscape
        while j < count {
            let b = p[j]
            if b == JSONReader.quote {
                appendRun(from: runStart, to: j)
                i = j + 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == JSONReader.backslash {
                appendRun(from: runStart, to: j)
                j = try decodeEscape(at: j)
                runStart = j
            } else if b < 0x20 {
                throw controlCharacter(at: j)
            } else if b < 0x80 {
                j += 1
            } else {
                j = try validateMultibyte(at: j)
            }
        }
        throw error(at: count, "unexpected end of input: unterminated string")
    }

    mutating func appendRun(from start: Int, to end: Int) {
        if end > start { scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start)) }
    }

    /// Decodes the escape at `at` (a backslash) into `scratch`; returns the offset after it.
    mutating func decodeEscape(at offset: Int) throws(JSONParseError) -> Int {
        guard offset + 1 < count else { throw error(at: count, "unexpected end of input: unterminated string") }
        let e = p[offset + 1]
        switch e {
        case JSONReader.quote, JSONReader.backslash, UInt8(ascii: "/"): scratch.append(e)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(at: offset + 2)
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed by an escaped low surrogate.
                let next = offset + 6
                guard next + 1 < count, p[next] == JSONReader.backslash, p[next + 1] == UInt8(ascii: "u") else {
                    throw error(
                        at: offset,
                        "lone surrogate \\u\(hex(unit)): a high surrogate must be followed by a \\u low surrogate")
                }
                let low = try hex4(at: next + 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(
                        at: offset,
                        "lone surrogate \\u\(hex(unit)) followed by \\u\(hex(low)), which is not a low surrogate")
                }
                let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                appendUTF8(scalar)
                return next + 6
            case 0xDC00...0xDFFF:
                throw error(at: offset, "lone surrogate \\u\(hex(unit)): a low surrogate must follow a high one")
            default:
                appendUTF8(unit)
                return offset + 6
            }
        default:
            throw error(
                at: offset,
                "invalid escape '\\\(describeEscape(e))' (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
        return offset + 2
    }

    func describeEscape(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? String(UnicodeScalar(byte)) : "<\(describe(byte))>"
    }

    func hex(_ value: UInt32) -> String {
        let h = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// Reads the four hex digits of a `\u` escape starting at `at`.
    func hex4(at offset: Int) throws(JSONParseError) -> UInt32 {
        guard offset + 4 <= count else { throw error(at: count, "unexpected end of input in a \\u escape") }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = p[offset + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default:
                throw error(at: offset + k, "invalid \\u escape: expected 4 hex digits, found \(describe(c))")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }

    /// Validates the multi-byte UTF-8 sequence starting at `offset` (Unicode table 3-7: no
    /// overlong forms, no surrogates, nothing above U+10FFFF); returns the offset after it.
    func validateMultibyte(at offset: Int) throws(JSONParseError) -> Int {
        let lead = p[offset]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw invalidUTF8(at: offset)
        }
        guard offset + length <= count else { throw invalidUTF8(at: offset) }
        let second = p[offset + 1]
        guard second >= low && second <= high else { throw invalidUTF8(at: offset) }
        var k = 2
        while k < length {
            guard p[offset + k] & 0xC0 == 0x80 else { throw invalidUTF8(at: offset) }
            k += 1
        }
        return offset + length
    }

    func invalidUTF8(at offset: Int) -> JSONParseError {
        error(at: offset, "invalid UTF-8 sequence starting with \(describe(p[offset]))")
    }
}
