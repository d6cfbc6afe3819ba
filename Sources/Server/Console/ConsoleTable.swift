import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// One table of a console screen, built once and shown two ways: as HTML (`table.mustache`, one
/// labelled block per row on a phone) and as its CSV download (`?table=<id>&format=csv` on the
/// screen's own address, so the file holds exactly what the page shows, unformatted: amounts in
/// yuan without the sign, times as `YYYY-MM-DD HH:mm` in the reporting time zone).
struct ConsoleTable: Sendable {
    struct Column: Sendable {
        /// The CSV header (English, stable for spreadsheets that read it).
        var key: String
        /// The page's heading, in the page's language.
        var label: String
        var numeric: Bool = false
    }

    struct Cell: Sendable {
        var text: String
        var csv: String
        var href: String?

        init(_ text: String, csv: String? = nil, href: String? = nil) {
            (self.text, self.csv, self.href) = (text, csv ?? text, href)
        }

        static func yuan(_ cents: Int64) -> Cell { Cell(HTML.yuan(cents), csv: CSV.yuan(cents)) }
        static func int<I: BinaryInteger>(_ n: I) -> Cell { Cell(String(n)) }
    }

    var id: String
    var title: String
    var columns: [Column]
    var rows: [[Cell]] = []
    /// Rows drawn bold (totals), by index.
    var totals: Set<Int> = []
    var note: String?

    /// The rows as CSV: the header of column keys, then each row's raw values.
    var csvRows: [[String]] { [columns.map(\.key)] + rows.map { $0.map(\.csv) } }

    /// The table in `table.mustache`, with its CSV link built from the screen's `path` and query.
    func render(t: [String: String], path: String, query: String) -> String {
        let rowContexts: [[String: Any]] = rows.enumerated().map { i, row in
            let cells: [[String: Any]] = zip(columns, row).map { column, cell in
                [
                    "text": cell.text, "href": cell.href.map { $0 as Any } ?? false, "numeric": column.numeric,
                    "label": column.label,
                ]
            }
            return ["cells": cells, "total": totals.contains(i)]
        }
        let columnContexts: [[String: Any]] = columns.map { ["label": $0.label, "numeric": $0.numeric] }
        let context: [String: Any] = [
            "t": t, "id": id, "title": title, "note": note.map { $0 as Any } ?? false, "empty": rows.isEmpty,
            "columns": columnContexts, "rows": rowContexts,
            "csvHref": path + "?" + ConsoleQuery.joined(query, "table=\(id)&format=csv"),
        ]
        return ConsoleTemplates.render("table", context)
    }

    /// The download of the table named by `?table=` among `tables` (404 when none has that id).
    static func csv(_ tables: [ConsoleTable], request: Request, name: String) throws(NodeError) -> Response {
        let wanted = request.uri.queryParameters.get("table") ?? ""
        guard let table = tables.first(where: { $0.id == wanted }) else {
            let ids = tables.map(\.id).joined(separator: ", ")
            throw NodeError(.notFound, message: "table must be one of \(ids)", field: "table")
        }
        return CSV.response(table.csvRows, name: "\(name)-\(table.id)")
    }
}
