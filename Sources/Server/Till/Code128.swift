import CZint

/// A Code 128 barcode drawn by Zint, as an SVG a receipt page embeds (scanners read it back
/// as the order id).
public enum Code128 {
    /// The SVG of `text`'s barcode (no human-readable line: the receipt prints the id itself),
    /// or nil when Zint refuses the text (Code 128 takes ASCII).
    public static func svg(_ text: String, moduleWidth: Double = 2, height: Double = 50) -> String? {
        guard !text.isEmpty, text.utf8.count <= 80, text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) else { return nil }
        guard let symbol = ZBarcode_Create() else { return nil }
        defer { ZBarcode_Delete(symbol) }
        symbol.pointee.symbology = BARCODE_CODE128
        symbol.pointee.show_hrt = 0
        symbol.pointee.height = Float(height / moduleWidth)
        let bytes = Array(text.utf8)
        let status = bytes.withUnsafeBufferPointer { buffer in
            ZBarcode_Encode_and_Buffer_Vector(symbol, buffer.baseAddress, Int32(buffer.count), 0)
        }
        guard status < ZINT_ERROR, let vector = symbol.pointee.vector else { return nil }
        var bars: [String] = []
        var rect = vector.pointee.rectangles
        while let r = rect {
            let (x, y, w, h) = (
                Double(r.pointee.x), Double(r.pointee.y), Double(r.pointee.width), Double(r.pointee.height)
            )
            bars.append(#"<rect x="\#(fmt(x))" y="\#(fmt(y))" width="\#(fmt(w))" height="\#(fmt(h))"/>"#)
            rect = r.pointee.next
        }
        // The drawing in Zint's units; on the page one module is `moduleWidth` CSS pixels.
        let (vw, vh) = (Double(vector.pointee.width), Double(vector.pointee.height))
        let modules = Double(max(1, symbol.pointee.width))
        let scale = moduleWidth * modules / max(vw, 1)
        return
            ##"<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="\##(fmt(vw * scale))" height="\##(fmt(height))" viewBox="0 0 \##(fmt(vw)) \##(fmt(vh))" preserveAspectRatio="none" role="img" aria-label="\##(HTML.escape(text))"><g fill="#000">\##(bars.joined())</g></svg>"##
    }

    static func fmt(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
