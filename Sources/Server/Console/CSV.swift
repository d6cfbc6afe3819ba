import Hummingbird

/// CSV exports of the console's tables: UTF-8 with a byte-order mark (so Excel on Chinese
/// Windows opens Chinese text correctly), CRLF line ends, RFC 4180 quoting. A cell that starts
/// like a formula (`= + - @`) is prefixed with `'` so a spreadsheet shows it instead of running it.
enum CSV {
    static let bom = "\u{FEFF}"

    static func text(_ rows: [[String]]) -> String {
        bom + rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@".contains(first), !isNumber(v), !v.hasPrefix("-¥") { v = "'" + v }
        guard v.contains(where: { ",\"\r\n".contains($0) }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A plain number (`-12`, `-12.50`): a spreadsheet reads it as a number, never as a formula.
    static func isNumber(_ v: String) -> Bool {
        let digits = v.drop { $0 == "-" || $0 == "+" }
        guard v.count - digits.count <= 1, let first = digits.first, first.isASCII, first.isNumber else { return false }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Fen as yuan without the currency sign: `12.50`, `-3.00`.
    static func yuan(_ cents: Int64) -> String {
        HTML.yuan(cents).replacingOccurrences(of: "¥", with: "")
    }

    /// A download named `fenxiao-<name>.csv`.
    static func response(_ rows: [[String]], name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"fenxiao-\(name).csv\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text(rows))))
    }
}
