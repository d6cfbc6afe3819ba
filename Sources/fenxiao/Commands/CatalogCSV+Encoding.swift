import ArgumentParser
import Foundation
import Node

extension CatalogCSV {
    /// The UTF-8 byte order mark `export` writes first, so Excel opens Chinese names as UTF-8.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file's bytes as Excel reads it: UTF-8 with a byte order mark.
    static func fileBytes(_ items: [CatalogFileItem]) -> Data {
        Data(byteOrderMark + Array(render(items).utf8))
    }

    /// The text of a CSV file in UTF-8 (with or without a byte order mark) or GB18030 (Excel's
    /// "CSV" on Chinese Windows), `encoding` when given; anything else is refused with the
    /// row, line and byte where reading stopped, so no mojibake is ever imported.
    static func text(of data: Data, file: String, encoding: TextEncoding?) throws(NodeError) -> String {
        do {
            return try TextFileDecoding.decode(Array(data), as: encoding).text
        } catch {
            throw NodeError(.invalidInput, message: refusal(error, file: file, asked: encoding))
        }
    }

    /// A sentence naming where reading stopped and what to do.
    static func refusal(_ e: UndecodableText, file: String, asked: TextEncoding?) -> String {
        let save = "nothing was imported; in Excel save it as \"CSV UTF-8 (逗号分隔)\" (or as GB18030)"
        let fix = save + ", or give --encoding utf8|gb18030"
        let hex = e.bytes.map { String($0, radix: 16, uppercase: true).leftPadded(2) }.joined(separator: " ")
        let place =
            "byte \(e.byteOffset) (\(rowName(scan(e.prefix).complete)), line \(e.line)\(hex.isEmpty ? "" : ": \(hex)"))"
        let name = e.encoding == .utf8 ? "UTF-8" : "GB18030"
        switch e.reason {
        case .utf16:
            return "\(file) is UTF-16 (Excel's tab-separated \"Unicode Text\"), not CSV: \(save)"
        case .nulByte:
            return "\(file) has a NUL byte at \(place): it is not a text file (or is UTF-16): \(save)"
        case .byteOrderMarkContradicts:
            return "\(file) starts with a UTF-8 byte order mark but --encoding gb18030 was given: \(save)"
        case .invalidBytes, .truncated:
            let what = e.reason == .truncated ? "ends in the middle of a character" : "cannot be read"
            let intro =
                asked == nil
                ? "\(file) is neither UTF-8 nor GB18030 text: read as \(name), \(place) \(what)"
                : "\(file) is not \(name) text: \(place) \(what)"
            return "\(intro); \(fix)"
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}

extension TextEncoding: ExpressibleByArgument {}
