import CZint

/// A QR code drawn by Zint on this machine (no outside API), as an inline SVG: a distributor's
/// referral link in the mall (`/mall/distributor/link`).
public enum QRCode {
    /// The dark modules of `text`'s QR code (error correction M), row by row, or nil when Zint
    /// refuses the text (empty, longer than 1,000 bytes).
    public static func modules(_ text: String) -> [[Bool]]? {
        guard !text.isEmpty, text.utf8.count <= 1000 else { return nil }
        guard let symbol = ZBarcode_Create() else { return nil }
        defer { ZBarcode_Delete(symbol) }
        symbol.pointee.symbology = BARCODE_QRCODE
        symbol.pointee.option_1 = 2  // error correction level M (15 %)
        let bytes = Array(text.utf8)
        let status = bytes.withUnsafeBufferPointer { buffer in
            ZBarcode_Encode(symbol, buffer.baseAddress, Int32(buffer.count))
        }
        let (rows, width) = (Int(symbol.pointee.rows), Int(symbol.pointee.width))
        guard status < ZINT_ERROR, rows > 0, rows == width, rows <= 177 else { return nil }
        // `encoded_data` is 200 rows of 144 bytes, each bit a module (bit `x & 7` of byte `x >> 3`).
        return withUnsafeBytes(of: &symbol.pointee.encoded_data) { raw in
            let stride = raw.count / 200
            return (0..<rows).map { y in
                (0..<width).map { x in (raw[y * stride + (x >> 3)] >> (x & 7)) & 1 == 1 }
            }
        }
    }

    /// The SVG of `text`'s QR code with a quiet zone of 4 modules, each module `module` CSS
    /// pixels (`id` on the `svg` element), one path of unit squares (the viewBox counts modules), or nil when Zint refuses.
    public static func svg(_ text: String, module: Int = 4, id: String? = nil) -> String? {
        guard let grid = modules(text) else { return nil }
        let quiet = 4
        let side = grid.count + 2 * quiet
        var path = ""
        for (y, row) in grid.enumerated() {
            var x = 0
            while x < row.count {
                guard row[x] else {
                    x += 1
                    continue
                }
                var run = 1
                while x + run < row.count && row[x + run] { run += 1 }
                path += "M\(x + quiet) \(y + quiet)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let pixels = side * module
        return
            ##"<svg xmlns="http://www.w3.org/2000/svg"\##(id.map { " id=\"\(HTML.escape($0))\"" } ?? "") class="qrcode" width="\##(pixels)" height="\##(pixels)" viewBox="0 0 \##(side) \##(side)" shape-rendering="crispEdges" role="img" aria-label="QR"><rect width="\##(side)" height="\##(side)" fill="#fff"/><path fill="#000" d="\##(path)"/></svg>"##
    }
}
