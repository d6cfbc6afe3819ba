import Node

/// The catalog's CSV form: a header `sku,name,price,category,product,brand,barcode` (the last
/// four optional) and one row per SKU; fields may be quoted with `"` (RFC 4180).
enum CatalogCSV {
    static let header = ["sku", "name", "price", "category", "product", "brand", "barcode"]

    /// Parses the file; errors name the row (1-based, header excluded) and the problem.
    static func parse(_ text: String) throws(NodeError) -> [CatalogFileItem] {
        let rows = try records(text)
        guard let head = rows.first?.map({ $0.lowercased() }) else {
            throw NodeError(.invalidInput, "the CSV file is empty")
        }
        for required in ["sku", "name", "price"] where !head.contains(required) {
            throw NodeError(
                .invalidInput,
                "the CSV header lacks the '\(required)' column (expected \(header.joined(separator: ",")))")
        }
        func column(_ row: [String], _ name: String) -> String? {
            guard let i = head.firstIndex(of: name), i < row.count, !row[i].isEmpty else { return nil }
            return row[i]
        }
        var items: [CatalogFileItem] = []
        for (n, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].isEmpty) {
            guard row.count == head.count else {
                throw NodeError(.invalidInput, "row \(n + 1): \(row.count) fields, the header has \(head.count)")
            }
            items.append(
                CatalogFileItem(
                    sku: column(row, "sku") ?? "", name: column(row, "name") ?? "", price: column(row, "price") ?? "",
                    category: column(row, "category"), product: column(row, "product"), brand: column(row, "brand"),
                    barcode: column(row, "barcode")))
        }
        return items
    }

    /// The records of `text`: quoted fields may hold commas, `""` and line breaks (CRLF or LF).
    static func records(_ text: String) throws(NodeError) -> [[String]] {
        let scanned = scan(text)
        if scanned.openQuote {
            throw NodeError(.invalidInput, message: "\(rowName(scanned.complete)): a quoted field is not closed")
        }
        return scanned.rows
    }

    /// "the header" or "row n" (1-based, header excluded) for the record after `complete` records.
    static func rowName(_ complete: Int) -> String { complete == 0 ? "the header" : "row \(complete)" }

    /// The records of `text`, how many of them ended with a line break, and whether the text
    /// ends inside a quoted field (a caller decides whether that is an error).
    static func scan(_ text: String) -> (rows: [[String]], complete: Int, openQuote: Bool) {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.replacingCRLF()).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        let complete = rows.count
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return (rows, complete, quoted)
    }

    static func render(_ items: [CatalogFileItem]) -> String {
        func quote(_ s: String?) -> String {
            guard let s else { return "" }
            return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : s
        }
        var out = header.joined(separator: ",") + "\n"
        for i in items {
            out +=
                [i.sku, i.name, i.price, i.category, i.product, i.brand, i.barcode].map(quote).joined(separator: ",")
                + "\n"
        }
        return out
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
    }
}
