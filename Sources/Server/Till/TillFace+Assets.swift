import Hummingbird

/// The till's script and style sheet, embedded in the binary (nothing from a CDN).
extension TillFace {
    func addAssetRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/till/assets/till.js") { _, _ in
            asset(PackageResources.till_js, type: "text/javascript; charset=utf-8")
        }
        router.get("/till/assets/till.css") { _, _ in
            asset(PackageResources.till_css, type: "text/css; charset=utf-8")
        }
    }
}

/// An embedded file served as is (the till's revalidate each load; the console's and the mall's
/// style sheets may be kept an hour).
func asset(_ bytes: [UInt8], type: String, cacheControl: String = "no-cache") -> Response {
    Response(
        status: .ok, headers: [.contentType: type, .cacheControl: cacheControl],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
}
