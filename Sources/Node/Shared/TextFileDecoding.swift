#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A text encoding a user's file may come in: UTF-8 (what we write) or GB18030, the superset of
/// GBK and GB2312 that Excel on Chinese Windows writes when it saves "CSV (逗号分隔)".
public enum TextEncoding: String, Sendable, CaseIterable, Equatable {
    case utf8
    case gb18030
}

/// A file's text, with the encoding it was read in.
public struct DecodedText: Sendable, Equatable {
    /// The text, without a byte order mark.
    public let text: String
    /// The encoding the bytes were read in.
    public let encoding: TextEncoding
    /// Whether the file started with a byte order mark (stripped from ``text``).
    public let hadByteOrderMark: Bool
}

/// Why a file's bytes are not text we can read, and where: nothing of the file is used.
public struct UndecodableText: Error, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// Bytes that are not a character in ``UndecodableText/encoding`` (tried last, or got furthest).
        case invalidBytes
        /// The file ends in the middle of a character.
        case truncated
        /// A NUL byte: a binary file or UTF-16 without a byte order mark.
        case nulByte
        /// A UTF-16 byte order mark (Excel's tab-separated "Unicode Text").
        case utf16
        /// A UTF-8 byte order mark, but GB18030 was asked for.
        case byteOrderMarkContradicts
    }

    public let reason: Reason
    /// The encoding the offset is about: the one asked for, or the one that read furthest.
    public let encoding: TextEncoding
    /// The 0-based offset of the first byte that could not be read.
    public let byteOffset: Int
    /// The 1-based line of that byte (counting LF bytes before it).
    public let line: Int
    /// Up to four bytes from the offset, for the message.
    public let bytes: [UInt8]
    /// The text before the offset, decoded: lets a caller say which record the byte is in.
    public let prefix: String
}

/// Reads a user's text file (a catalog CSV) as UTF-8 or GB18030 and refuses anything else, so a
/// wrongly decoded file is never stored as mojibake (replacement characters, 乱码).
///
/// - A UTF-8 byte order mark means UTF-8 (stripped); a UTF-16 one is refused (Excel's "Unicode
///   Text" is tab-separated UTF-16: save as "CSV UTF-8" instead); a NUL byte is refused.
/// - Otherwise valid UTF-8 wins over GB18030: UTF-8's multi-byte structure is strict, so a GBK
///   file with Chinese text is almost never valid UTF-8, while almost any byte pair from 0x81 up
///   is valid GB18030, so a UTF-8 file usually also "decodes" as GB18030 — into nonsense. ASCII
///   reads the same in both.
/// - GB18030 is decoded by the C library's `iconv` (glibc on Linux), which says at which byte it
///   stopped; Foundation's `String(data:encoding:)` also reads GB18030 on Linux but only answers
///   nil, with no offset to show the user.
public enum TextFileDecoding {
    /// Decodes `bytes` as `encoding`, or as UTF-8 then GB18030 when nil; throws where it stops.
    public static func decode(_ bytes: [UInt8], as encoding: TextEncoding? = nil) throws(UndecodableText)
        -> DecodedText
    {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw failure(.utf16, .utf8, at: 0, in: bytes, prefix: "")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw failure(.nulByte, encoding ?? .utf8, at: nul, in: bytes, prefix: "")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            if encoding == .gb18030 { throw failure(.byteOrderMarkContradicts, .gb18030, at: 0, in: bytes, prefix: "") }
            let text = try utf8(bytes, from: 3)
            return DecodedText(text: text, encoding: .utf8, hadByteOrderMark: true)
        }
        switch encoding {
        case .utf8: return DecodedText(text: try utf8(bytes, from: 0), encoding: .utf8, hadByteOrderMark: false)
        case .gb18030: return try gb18030Text(bytes)
        case nil:
            let asUTF8: UndecodableText
            do {
                return DecodedText(text: try utf8(bytes, from: 0), encoding: .utf8, hadByteOrderMark: false)
            } catch {
                asUTF8 = error
            }
            do {
                return try gb18030Text(bytes)
            } catch {
                throw error.byteOffset >= asUTF8.byteOffset ? error : asUTF8
            }
        }
    }

    private static func gb18030Text(_ bytes: [UInt8]) throws(UndecodableText) -> DecodedText {
        var text = try gb18030(bytes)
        // GB18030's own byte order mark (84 31 95 33) decodes to U+FEFF.
        let bom = text.unicodeScalars.first == "\u{FEFF}"
        if bom { text.unicodeScalars.removeFirst() }
        return DecodedText(text: text, encoding: .gb18030, hadByteOrderMark: bom)
    }

    /// Validates UTF-8 with the standard library's decoder, stopping at the first bad byte.
    static func utf8(_ bytes: [UInt8], from start: Int) throws(UndecodableText) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var input = bytes[start...].makeIterator()
        var offset = start
        var scalars = String.UnicodeScalarView()
        while true {
            switch parser.parseScalar(from: &input) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .emptyInput:
                return String(scalars)
            case .error(let length):
                let atEnd = offset + length >= bytes.count && (0xC2...0xF4).contains(bytes[offset])
                let reason: UndecodableText.Reason = atEnd ? .truncated : .invalidBytes
                throw failure(reason, .utf8, at: offset, in: bytes, prefix: String(scalars))
            }
        }
    }

    /// Decodes GB18030 with `iconv`, stopping at the first byte sequence it refuses.
    static func gb18030(_ bytes: [UInt8]) throws(UndecodableText) -> String {
        let cd = iconv_open("UTF-8", "GB18030")
        guard Int(bitPattern: cd) != -1 else {
            // No GB18030 converter in this C library: say so at byte 0 rather than guess.
            throw failure(.invalidBytes, .gb18030, at: 0, in: bytes, prefix: "")
        }
        defer { iconv_close(cd) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 2 + 16)
        var input = bytes.map { CChar(bitPattern: $0) }
        let total = input.count
        var stop: (reason: UndecodableText.Reason, offset: Int)? = nil
        input.withUnsafeMutableBufferPointer { inBuffer in
            var inPointer = inBuffer.baseAddress
            var inLeft = total
            var chunk = [CChar](repeating: 0, count: 4096)
            chunk.withUnsafeMutableBufferPointer { outBuffer in
                while inLeft > 0 {
                    var outPointer = outBuffer.baseAddress
                    var outLeft = outBuffer.count
                    let result = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                    let savedErrno = errno
                    output.append(contentsOf: outBuffer.prefix(outBuffer.count - outLeft).map { UInt8(bitPattern: $0) })
                    if result != -1 { break }
                    switch savedErrno {
                    case E2BIG: continue
                    case EINVAL: stop = (.truncated, total - inLeft)
                    default: stop = (.invalidBytes, total - inLeft)
                    }
                    return
                }
            }
        }
        let text = String(decoding: output, as: UTF8.self)
        if let stop { throw failure(stop.reason, .gb18030, at: stop.offset, in: bytes, prefix: text) }
        return text
    }

    private static func failure(
        _ reason: UndecodableText.Reason, _ encoding: TextEncoding, at offset: Int, in bytes: [UInt8], prefix: String
    ) -> UndecodableText {
        UndecodableText(
            reason: reason, encoding: encoding, byteOffset: offset,
            line: bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 },
            bytes: Array(bytes[offset..<min(offset + 4, bytes.count)]), prefix: prefix)
    }
}
