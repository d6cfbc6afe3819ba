import Commerce
import Foundation

/// The language of the CLI's human output and error sentences: Chinese when the locale says so
/// (`LC_ALL`, else `LC_MESSAGES`, else `LANG` starting with `zh`, e.g. `LANG=zh_CN.UTF-8`),
/// English otherwise. `--json` output keeps its English keys and values either way.
enum OutputLanguage {
    /// Read once per process.
    static let current: Language = detect(ProcessInfo.processInfo.environment)

    static func detect(_ env: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = env[key], !value.isEmpty { return value.lowercased().hasPrefix("zh") ? .chinese : .english }
        }
        return .english
    }

    /// `english` or `chinese`, whichever the locale asks for.
    static func text(_ english: String, _ chinese: String) -> String { current == .chinese ? chinese : english }
}

/// Chinese sentences for the counter's errors (PINs, sessions, shifts, lookups, stock, payments,
/// refund limits): each English sentence the use cases write, as a pattern, and its Chinese
/// form. A sentence not in the catalog stays English.
enum CounterErrorCatalog {
    static let entries: [(pattern: String, chinese: String)] = [
        (
            #"^wrong (\S+) for user (\S+); (\d+) more wrong PINs? lock the user for 15 minutes$"#,
            "用户 $2 的 $1 错误；再错 $3 次将锁定 15 分钟"
        ),
        (#"^wrong (\S+) for user (\S+); the user is now locked for 15 minutes$"#, "用户 $2 的 $1 错误；该用户已被锁定 15 分钟"),
        (
            #"^user (\S+) is locked after 5 wrong PINs until (\S+); wait, or a store manager sets a new PIN$"#,
            "用户 $1 连续输错 5 次 PIN，锁定至 $2；请等待，或由店长重设 PIN"
        ),
        (#"^user (\S+) has a PIN at this node: give (\S+) with (\S+)$"#, "用户 $1 在本店已设置 PIN：使用 $3 时请同时提供 $2"),
        (
            #"^user (\S+) has no PIN here yet; set one with `fenxiao user set-pin`$"#,
            "用户 $1 在本店尚未设置 PIN；请用 `fenxiao user set-pin` 设置"
        ),
        (#"^(\S+) must be 4 to 6 digits$"#, "$1 必须是 4 到 6 位数字"),
        (#"^till (\S+) already has shift (\S+) open since (\S+); close it first$"#, "收银台 $1 已有班次 $2 自 $3 起未交班；请先交班"),
        (#"^shift (\S+) is closed; open a new shift at till (\S+)$"#, "班次 $1 已交班；请在收银台 $2 开新班次"),
        (#"^shift (\S+) is unknown here; see `fenxiao shift list`$"#, "本店没有班次 $1；请查看 `fenxiao shift list`"),
        (#"^closing a shift needs the cash (\S+) in the drawer \(e\.g\. 1234\.50\)$"#, "交班需要钱箱现金清点金额 $1（例如 1234.50）"),
        (
            #"^no member has (\S+) (\S+) here; register them with a (\S+) and this phone$"#,
            "本店没有 $1 为 $2 的会员；请用 $3 和此手机号登记"
        ),
        (#"^no order here ends with (\S+); scan the receipt or type more of the id$"#, "本店没有以 $1 结尾的订单；请扫描小票或输入更多位订单号"),
        (#"^(\d+) orders end with (\S+): (.+); type more of the id$"#, "有 $1 个订单以 $2 结尾：$3；请输入更多位订单号"),
        (#"^no SKU has barcode or code (\S+); .*$"#, "没有条码或编码为 $1 的商品；请按名称搜索，或请总部添加条码"),
        (
            #"^only (-?\d+) × (\S+) available at (\S+) \(asked (\d+)\); receive or count the stock first$"#,
            "$3 仅有 $1 件 $2 可售（需要 $4 件）；请先入库或盘点"
        ),
        (
            #"^user (\S+) \((\S+)\) may refund up to (\S+); (\S+) needs a store manager or head office$"#,
            "用户 $1（$2）最多可退款 $3；$4 需要店长或总部（店长可输入 PIN 授权）"
        ),
        (
            #"^the (\S+) parts add up to (\S+); the order's amount due is (\S+): make them equal, or leave one amount open$"#,
            "各笔 $1 合计 $2，订单应付 $3：请使金额相等，或留一笔不填金额"
        ),
        (#"^(\S+) (\S+) is less than the (\S+) to pay in cash$"#, "$1 $2 少于应付现金 $3"),
        (
            #"^this (\S+) expired at (\S+) \(sessions last 12 hours\); log in again with your PIN$"#,
            "此 $1 已于 $2 过期（最长 12 小时）；请用 PIN 重新登录"
        ),
        (
            #"^this (\S+) was idle since (\S+) \(30 minutes\); log in again with your PIN$"#,
            "此 $1 自 $2 起闲置超过 30 分钟；请用 PIN 重新登录"
        ),
        (#"^user (\S+) is unknown here; check the id or run `fenxiao sync`$"#, "本店没有用户 $1；请检查编号或运行 `fenxiao sync`"),
        (#"^order (\S+) is unknown here; check the id or run `fenxiao sync`$"#, "本店没有订单 $1；请检查订单号或运行 `fenxiao sync`"),
        (#"^member (\S+) is unknown here; check the id or run `fenxiao sync`$"#, "本店没有会员 $1；请检查编号或运行 `fenxiao sync`"),
    ]

    static let compiled: [(NSRegularExpression, String)] = entries.compactMap { e in
        (try? NSRegularExpression(pattern: e.pattern)).map { ($0, e.chinese) }
    }

    /// The Chinese form of an English error sentence, or nil when the catalog has none.
    static func chinese(_ english: String) -> String? {
        let range = NSRange(english.startIndex..., in: english)
        for (regex, template) in compiled where regex.firstMatch(in: english, range: range) != nil {
            return regex.stringByReplacingMatches(in: english, range: range, withTemplate: template)
        }
        return nil
    }

    /// The sentence in the output language.
    static func localized(_ english: String) -> String {
        OutputLanguage.current == .chinese ? chinese(english) ?? english : english
    }
}
