import Commerce
import Foundation
import Hummingbird
import Node
import Replication
import Storage

/// `/console/conflicts`: the conflict records with filters (kind, store, open/resolved), each
/// rendered from its facts in the page's language (`ConflictText`), and one-click resolution
/// with a note through the same use case as `fenxiao conflicts resolve`.
extension ConsoleFace {
    /// The list's filters, read from the query (unknown values are ignored, never put in SQL).
    struct ConflictFilter: Sendable {
        var rule: String?
        var store: String?
        var status: ConflictNoteRegister.Status?

        init(_ request: Request) {
            let q = request.uri.queryParameters
            rule = q.get("kind").flatMap { $0.isEmpty ? nil : $0 }
            store = q.get("store").flatMap { $0.isEmpty ? nil : $0 }
            status = q.get("status").map { ConflictNoteRegister.Status(rawValue: $0) } ?? .open
        }

        func apply(_ all: [ConflictView]) -> [ConflictView] {
            all.filter {
                (rule == nil || $0.rule == rule) && (store == nil || ConsoleFace.store(of: $0) == store)
                    && (status == nil || $0.status == status?.rawValue)
            }
        }

        var query: String {
            "kind=\(rule ?? "")&store=\(store ?? "")&status=\(status?.rawValue ?? "all")"
                .addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
        }
    }

    /// The store a conflict happened at: its scope's node, or the node of its losing change.
    static func store(of c: ConflictView) -> String {
        if c.scope.hasPrefix("node:") { return String(c.scope.dropFirst(5)) }
        return c.loser.split(separator: "/").first.map(String.init) ?? c.scope  // the losing change: origin/seq
    }

    func addConflictRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/conflicts") { request, _ in
            try await screen(request, .conflicts) { signed in
                let filter = ConflictFilter(request)
                let all = try signed.node.sync.conflicts()
                let shown = filter.apply(all)
                let language: Language = signed.language == .zh ? .chinese : .english
                let t = ConsoleText.catalog(signed.language)
                let kinds: [[String: Any]] = Set(all.map(\.rule)).sorted().map {
                    ["value": $0, "label": ConsoleText.rule($0, signed.language), "selected": $0 == filter.rule]
                }
                let stores: [[String: Any]] = Set(all.map(Self.store(of:))).sorted().map {
                    ["value": $0, "selected": $0 == filter.store]
                }
                let statuses: [[String: Any]] = ["open", "resolved", "all"].map {
                    ["value": $0, "label": t[$0] ?? $0, "selected": $0 == (filter.status?.rawValue ?? "all")]
                }
                let rows: [[String: Any]] = shown.map { c in
                    [
                        "id": c.id, "rule": ConsoleText.rule(c.rule, signed.language), "store": Self.store(of: c),
                        "subject": c.subject,
                        "text": c.text(in: language), "open": c.status == "open", "note": c.note ?? false,
                        "status": t[c.status == "open" ? "open" : "resolved"] ?? c.status,
                        "fixes": Self.fixes(c, t),
                    ]
                }
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "query": filter.query, "kinds": kinds, "stores": stores,
                    "statuses": statuses, "conflicts": rows, "empty": shown.isEmpty,
                ]
                return page(request, signed, .conflicts, title: t["conflicts"] ?? "") {
                    ConsoleTemplates.render("conflicts", context)
                }
            }
        }
        // The id travels in the form: a conflict id (`rule:subject:origin/seq`) holds slashes.
        router.post("/console/conflicts/resolve") { request, _ in
            try await action(request, .conflicts) { signed, form in
                _ = try signed.node.sync.resolveConflict(id: form["id"] ?? "", note: form["note"] ?? "")
                return "/console/conflicts?"
                    + ((form["back"] ?? "").addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            }
        }
        // A one-click follow-up (re-allocate, refund, write off) that also resolves the conflict.
        router.post("/console/conflicts/fix") { request, _ in
            try await action(request, .conflicts) { signed, form in
                guard let fix = form["fix"].flatMap(ConflictFix.init(rawValue:)) else {
                    throw NodeError(.invalidInput, "\(Field.fix) must be reallocate, refund or write_off")
                }
                let note = try ConsoleInput.text(form["note"], "note")
                _ = try signed.node.sync.fix(conflict: form["id"] ?? "", with: fix, note: note)
                return "/console/conflicts?"
                    + ((form["back"] ?? "").addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            }
        }
        router.get("/console/conflicts.csv") { request, _ in
            try await screen(request, .conflicts) { signed in
                let language: Language = signed.language == .zh ? .chinese : .english
                let shown = ConflictFilter(request).apply(try signed.node.sync.conflicts())
                return CSV.response(
                    [["id", "kind", "store", "subject", "status", "text", "note"]]
                        + shown.map {
                            [
                                $0.id, $0.rule, Self.store(of: $0), $0.subject, $0.status, $0.text(in: language),
                                $0.note ?? "",
                            ]
                        }, name: "conflicts")
            }
        }
    }

    /// The one-click follow-ups an open conflict offers (`ConflictFix.offered(for:)`).
    static func fixes(_ c: ConflictView, _ t: [String: String]) -> [[String: Any]] {
        guard c.status == "open" else { return [] }
        return ConflictFix.offered(for: c.rule).map {
            ["fix": $0.rawValue, "fixLabel": t["fix.\($0.rawValue)"] ?? $0.rawValue]
        }
    }
}
