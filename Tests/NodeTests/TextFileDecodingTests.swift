import Foundation
import Testing

@testable import Node

/// Catalog files as Excel writes them: UTF-8 with or without a byte order mark, GB18030 on
/// Chinese Windows; anything else is refused where it stops, never read as mojibake.
@Suite struct TextFileDecodingTests {
    /// 乌龙茶 and 绿茶 (two-byte GBK) and 𠀀 (a four-byte GB18030 sequence, beyond GBK).
    static let oolong: [UInt8] = [0xCE, 0xDA, 0xC1, 0xFA, 0xB2, 0xE8]
    static let green: [UInt8] = [0xC2, 0xCC, 0xB2, 0xE8]
    static let extB: [UInt8] = [0x95, 0x32, 0x82, 0x36]

    @Test func gb18030DecodesChineseNames() throws {
        let bytes = Array("sku,name\nA,".utf8) + Self.oolong + Array("\nB,".utf8) + Self.green + Self.extB + [0x0A]
        let decoded = try TextFileDecoding.decode(bytes)
        #expect(decoded.encoding == .gb18030)
        #expect(decoded.text == "sku,name\nA,乌龙茶\nB,绿茶𠀀\n")
        #expect(!decoded.hadByteOrderMark)
        // Foundation reads GB18030 on Linux too (kCFStringEncodingGB_18030_2000) and agrees.
        let foundation = String(data: Data(bytes), encoding: String.Encoding(rawValue: 0x8000_0632))
        #expect(foundation == decoded.text)
    }

    @Test func utf8WithAndWithoutByteOrderMark() throws {
        let plain = try TextFileDecoding.decode(Array("sku,name\nA,乌龙茶\n".utf8))
        #expect(plain == DecodedText(text: "sku,name\nA,乌龙茶\n", encoding: .utf8, hadByteOrderMark: false))
        let marked = try TextFileDecoding.decode([0xEF, 0xBB, 0xBF] + Array("sku,name\nA,乌龙茶\n".utf8))
        #expect(marked == DecodedText(text: "sku,name\nA,乌龙茶\n", encoding: .utf8, hadByteOrderMark: true))
        #expect(try TextFileDecoding.decode([]).text.isEmpty)
    }

    @Test func gb18030ByteOrderMarkIsStripped() throws {
        let decoded = try TextFileDecoding.decode([0x84, 0x31, 0x95, 0x33] + Self.oolong)
        #expect(decoded == DecodedText(text: "乌龙茶", encoding: .gb18030, hadByteOrderMark: true))
    }

    @Test func validUTF8WinsButGB18030CanBeAskedFor() throws {
        // 乌龙茶 in UTF-8 followed by 茶 is also a valid GB18030 byte string (of other characters).
        let bytes = Array("乌龙茶茶".utf8)
        #expect(try TextFileDecoding.decode(bytes).encoding == .utf8)
        let forced = try TextFileDecoding.decode(bytes, as: .gb18030)
        #expect(forced.encoding == .gb18030)
        #expect(forced.text != "乌龙茶茶")
    }

    @Test func bytesNeitherEncodingReadsAreRefusedWhereTheyStop() throws {
        // Line 2 is GB18030 (so UTF-8 stops at byte 6); 0xFF on line 3 is neither.
        let bytes = Array("a,b\nc,".utf8) + Self.oolong + Array("\nd,".utf8) + [0xFF] + Array("x\n".utf8)
        let error = try #require(throws: UndecodableText.self) { try TextFileDecoding.decode(bytes) }
        #expect(error.reason == .invalidBytes)
        #expect(error.encoding == .gb18030, "GB18030 read further than UTF-8")
        #expect(error.byteOffset == 15)
        #expect(error.line == 3)
        #expect(error.bytes == [0xFF, 0x78, 0x0A])
        #expect(error.prefix == "a,b\nc,乌龙茶\nd,")
    }

    @Test func askingForUTF8StopsAtTheFirstGBKByte() throws {
        let bytes = Array("a,b\nc,".utf8) + Self.oolong
        let error = try #require(throws: UndecodableText.self) { try TextFileDecoding.decode(bytes, as: .utf8) }
        #expect(error.reason == .invalidBytes)
        #expect(error.encoding == .utf8)
        #expect(error.byteOffset == 6)
        #expect(error.line == 2)
        #expect(error.prefix == "a,b\nc,")
    }

    @Test func aFileEndingMidCharacterIsTruncated() throws {
        let gb = try #require(throws: UndecodableText.self) {
            try TextFileDecoding.decode(Self.oolong + [0x0A, 0xCE], as: .gb18030)
        }
        #expect(gb.reason == .truncated)
        #expect(gb.byteOffset == 7)
        #expect(gb.prefix == "乌龙茶\n")
        let utf8 = try #require(throws: UndecodableText.self) {
            try TextFileDecoding.decode(Array("茶".utf8).dropLast(), as: .utf8)
        }
        #expect(utf8.reason == .truncated)
        #expect(utf8.byteOffset == 0)
    }

    @Test func utf16NulBytesAndContradictedMarksAreRefused() throws {
        let utf16 = try #require(throws: UndecodableText.self) {
            try TextFileDecoding.decode([0xFF, 0xFE, 0x73, 0x00])
        }
        #expect(utf16.reason == .utf16)
        let nul = try #require(throws: UndecodableText.self) {
            try TextFileDecoding.decode(Array("sku\n".utf8) + [0x73, 0x00])
        }
        #expect(nul.reason == .nulByte)
        #expect(nul.byteOffset == 5)
        #expect(nul.line == 2)
        let marked = try #require(throws: UndecodableText.self) {
            try TextFileDecoding.decode([0xEF, 0xBB, 0xBF, 0x61], as: .gb18030)
        }
        #expect(marked.reason == .byteOrderMarkContradicts)
    }
}
