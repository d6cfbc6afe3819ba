/// Building HTML by hand, safely: every value a page shows passes through ``escape(_:)``.
enum HTML {
    /// `text` with `& < > " '` escaped, for element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Fen as yuan with two decimals and the sign: `¥12.50`, `-¥3.00`.
    static func yuan(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let m = cents.magnitude
        let fen = m % 100
        return "\(sign)¥\(m / 100).\(fen < 10 ? "0" : "")\(fen)"
    }
}
