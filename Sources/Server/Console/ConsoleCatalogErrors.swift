import Foundation
import Hummingbird
import Node

/// The catalog and marketing use cases' sentences in Chinese, for the console's pages: each
/// entry is the English sentence as a pattern and its Chinese form with `$1`… for the values.
/// A sentence not listed here is left to the console's and the counter's catalogs
/// (``ConsoleErrorText``), else shown in English.
enum ConsoleCatalogErrors {
    static let entries: [(pattern: String, chinese: String)] = [
        (#"^category (\S+) exists already; rename or move it instead$"#, "分类 $1 已存在；请改名或移动它"),
        (#"^category (\S+) does not exist; paths look like Drinks/Tea$"#, "分类 $1 不存在；分类路径形如 Drinks/Tea"),
        (#"^category (\S+) does not exist$"#, "分类 $1 不存在"),
        (#"^a category cannot move under itself$"#, "分类不能移到它自己或它的下级分类下面"),
        (#"^product (\S+) has no SKUs in the catalog; check the code$"#, "商品 $1 在目录中没有 SKU；请检查编码"),
        (#"^(\d+) combinations; at most 500 SKUs per product$"#, "规格组合共 $1 种；每个商品最多 500 个 SKU"),
        (#"^name of (\S+) must be 1–200 characters$"#, "$1 的名称必须是 1–200 个字符"),
        (
            #"^(?:row \d+: )?sku '(.*)' must be 1–64 letters, digits, '\.', '-' or '_'$"#,
            "商品编码“$1”只能包含字母、数字、“.”、“-”或“_”（1–64 个）；有规格时，规格值是 SKU 编码的一部分"
        ),
        (#"^promotion (\S+) does not exist$"#, "促销 $1 不存在"),
        (
            #"^coupon (\S+) is public \(anyone with the code uses it\); define it with \S+ to issue it$"#,
            "优惠券 $1 是公开券（凭券码即可使用），不能发放；请新建“仅限持券会员使用”的券再发放"
        ),
        (#"^no member group (\S+); .*$"#, "没有会员分组 $1；请先在会员分组中定义"),
        (#"^member (\S+) is unknown here; .*$"#, "会员 $1 不存在；请检查会员编号"),
        (#"^at most 20 images per product$"#, "每个商品最多 20 张图片"),
    ]

    static let catalog = SentenceCatalog(entries)

    /// Runs `body`; a use case's error it throws comes back in Chinese on a Chinese page when
    /// this catalog has its sentence (same code and field, so the same status).
    static func translated<T>(_ language: TillLanguage, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NodeError where language == .zh {
            guard let chinese = catalog.chinese(error.message) else { throw error }
            throw NodeError(error.code, message: chinese, field: error.field)
        }
    }
}

extension ConsoleFace {
    /// ``screen(_:_:_:)`` with the catalog's and marketing's sentences in the page's language.
    func catalogScreen(
        _ request: Request, _ screen: Screen, _ body: @escaping @Sendable (ConsoleRequest) throws -> Response
    ) async throws -> Response {
        try await self.screen(request, screen) { signed in
            try ConsoleCatalogErrors.translated(signed.language) { try body(signed) }
        }
    }

    /// ``action(_:_:_:)`` with the catalog's and marketing's sentences in the page's language.
    func catalogAction(
        _ request: Request, _ screen: Screen, _ body: @escaping @Sendable (ConsoleRequest, Form) throws -> String
    ) async throws -> Response {
        try await action(request, screen) { signed, form in
            try ConsoleCatalogErrors.translated(signed.language) { try body(signed, form) }
        }
    }
}
