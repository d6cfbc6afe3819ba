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

func asset(_ bytes: [UInt8], type: String) -> Response {
    Response(
        status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
}
