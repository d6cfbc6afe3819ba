import Hummingbird

/// The till's language: Chinese by default, English by the switch on every page (kept in a
/// cookie of that browser).
public enum TillLanguage: String, Sendable, CaseIterable {
    case zh, en

    /// `?lang=` when given (the switch), else the `fenxiao_lang` cookie, else Chinese.
    static func of(_ request: Request) -> TillLanguage {
        if let asked = request.uri.queryParameters.get("lang").flatMap(TillLanguage.init(rawValue:)) { return asked }
        return cookie(request, "fenxiao_lang").flatMap(TillLanguage.init(rawValue:)) ?? .zh
    }

    /// The `<html lang>` value.
    var htmlLang: String { self == .zh ? "zh-CN" : "en" }
}

/// The value of cookie `name` in the request, if sent.
func cookie(_ request: Request, _ name: String) -> String? {
    for value in request.headers[values: .cookie] {
        for pair in value.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return String(parts[1]).trimmingCharacters(in: .whitespaces)
            }
        }
    }
    return nil
}
