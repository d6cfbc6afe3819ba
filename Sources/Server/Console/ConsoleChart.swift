/// A bar chart drawn on the server as SVG (no script, no library, nothing from a CDN). Labels
/// pass through ``HTML/escape(_:)``; the chart scales to its container's width.
enum ConsoleChart {
    /// Bars of `values` (fen) labelled by `labels`, with the largest value written above its bar.
    static func bars(_ points: [(label: String, cents: Int64)], title: String) -> String {
        let width = 720, height = 220, top = 24, bottom = 28
        let plot = height - top - bottom
        let maxValue = max(points.map(\.cents).max() ?? 0, 1)
        let step = points.isEmpty ? width : width / points.count
        var svg =
            #"<svg class="chart" viewBox="0 0 \#(width) \#(height)" role="img" aria-label="\#(HTML.escape(title))" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<line x1="0" y1="\#(top + plot)" x2="\#(width)" y2="\#(top + plot)" class="axis"/>"#
        for (i, p) in points.enumerated() {
            let h = p.cents <= 0 ? 0 : max(1, Int(Int64(plot) * p.cents / maxValue))
            let x = i * step + step / 6
            svg += #"<rect x="\#(x)" y="\#(top + plot - h)" width="\#(step * 2 / 3)" height="\#(h)" class="bar">"#
            svg += "<title>\(HTML.escape(p.label)) \(HTML.escape(HTML.yuan(p.cents)))</title></rect>"
            svg +=
                #"<text x="\#(x + step / 3)" y="\#(height - 8)" text-anchor="middle" class="label">\#(HTML.escape(String(p.label.suffix(5))))</text>"#
            if p.cents == maxValue {
                svg +=
                    #"<text x="\#(x + step / 3)" y="\#(top + plot - h - 6)" text-anchor="middle" class="value">\#(HTML.escape(HTML.yuan(p.cents)))</text>"#
            }
        }
        return svg + "</svg>"
    }
}
