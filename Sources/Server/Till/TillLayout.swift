import Foundation
import Node

/// The frame of every till page: the bar with the store, the pages, the status light, the
/// cashier and the language switch; the catalog for the script; the script and style sheet.
struct TillLayout {
    enum Tab: String { case sale, afterSale = "after-sale", shift, none }

    var language: TillLanguage
    var store: String
    var cashier: String?
    var status: TillStatus?

    func t(_ key: TillText) -> String { HTML.escape(key.text(language)) }

    /// A whole page around `main`.
    func page(title: String, tab: Tab, main: String, bodyClass: String = "") -> String {
        let nav =
            cashier == nil
            ? ""
            : """
            <nav>\(link("/till/sale", .sale, tab == .sale))\(link("/till/after-sale", .afterSale, tab == .afterSale))\
            \(link("/till/shift", .shift, tab == .shift))</nav>
            """
        let other = language == .zh ? "en" : "zh"
        let who =
            cashier.map {
                #"<span class="who" id="cashier">\#(HTML.escape($0))</span><form method="post" action="/till/logout" class="inline"><button id="logout" class="link">\#(t(.logout))</button></form>"#
            } ?? ""
        let text = encodeJSON(TillText.all(language)).replacingOccurrences(of: "</", with: "<\\/")
        return """
            <!doctype html>
            <html lang="\(language.htmlLang)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · \(t(.appName))</title>
            <link rel="stylesheet" href="/till/assets/till.css"></head>
            <body class="\(bodyClass)" data-tab="\(tab.rawValue)" data-lang="\(language.rawValue)">
            <header class="bar"><span class="brand">\(t(.appName)) · \(HTML.escape(store))</span>\(nav)
            \(light())<a class="lang" id="lang" href="?lang=\(other)">\(t(.switchLanguage))</a>\(who)</header>
            <main>\(main)</main>
            <script id="till-text" type="application/json">\(text)</script>
            <script src="/till/assets/till.js"></script>
            </body></html>
            """
    }

    func link(_ href: String, _ key: TillText, _ active: Bool) -> String {
        #"<a href="\#(href)"\#(active ? #" class="active""# : "")>\#(t(key))</a>"#
    }

    /// The status light as first drawn; the script refreshes it every few seconds.
    func light() -> String {
        guard let status else { return #"<span id="light" class="light"></span>"# }
        return
            #"<span id="light" class="light light-\#(status.light.rawValue)" data-light="\#(status.light.rawValue)">\#(HTML.escape(Self.describe(status, language)))</span>"#
    }

    /// The light's sentence: "总部在线 · 已全部同步", "离线（自 14:05 起） · 37 条变更待同步".
    static func describe(_ s: TillStatus, _ language: TillLanguage) -> String {
        let first: String
        switch s.light {
        case .online: first = TillText.online.text(language)
        case .offline:
            first = TillText.offlineSince.text(language).replacingOccurrences(
                of: "%@", with: clock(s.since_ms ?? s.now_ms))
        case .unlinked: first = TillText.unlinked.text(language)
        case .unknown:
            first =
                s.since_ms.map { TillText.lastSync.text(language).replacingOccurrences(of: "%@", with: clock($0)) }
                ?? TillText.neverSynced.text(language)
        }
        let second =
            s.pending == 0
            ? TillText.allSynced.text(language)
            : TillText.waiting.text(language).replacingOccurrences(of: "%@", with: String(s.pending))
        return "\(first) · \(second)"
    }

    /// HH:MM of a wall-clock instant, in this machine's time zone.
    static func clock(_ millis: Int64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d", parts.tm_hour, parts.tm_min)
    }
}
