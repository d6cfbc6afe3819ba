import Foundation
import Node
import Replication

/// The mall's message catalog: every fixed word a mall page shows, in Chinese and English, and
/// the mall's refusals in the member's language.
enum MallText {
    /// Every entry: `key: (中文, English)`, the shared words below and each area's own
    /// (`MallText+Shop.swift`, `+Orders`, `+Benefits`, `+Distributor`); a key is defined once.
    static let entries: [String: (zh: String, en: String)] = [
        baseEntries, shopEntries, orderEntries, benefitEntries, distributorEntries,
    ]
    .reduce(into: [:]) { all, area in all.merge(area) { first, _ in first } }

    static let baseEntries: [String: (zh: String, en: String)] = [
        "brand": ("会员商城", "Members' mall"),
        "login": ("手机号登录", "Sign in by phone"),
        "logout": ("退出登录", "Sign out"),
        "phone": ("手机号", "Phone"),
        "send_code": ("获取验证码", "Send code"),
        "code": ("验证码", "Code"),
        "code_sent": ("验证码已发送，5 分钟内有效。", "A code was sent; it is valid for 5 minutes."),
        "name": ("昵称（新会员可填）", "Name (for new members)"),
        "sign_in": ("登录 / 注册", "Sign in / sign up"),
        "other_phone": ("换个手机号", "Use another phone"),
        "hint": (
            "未注册的手机号将自动注册为会员；门店会员用同一手机号登录即为同一会员。",
            "A new phone becomes a new member; a member of our stores signs in with the same phone."
        ),
        "me": ("我的", "My account"),
        "member_id": ("会员号", "Member id"),
        "level": ("等级", "Level"),
        "no_level": ("普通会员", "Member"),
        "points": ("积分", "Points"),
        "wallet": ("储值余额", "Stored value"),
        "error": ("出错了", "Something went wrong"),
        "back": ("返回", "Back"),
        "login_expired": ("页面已过期，请重新获取验证码。", "This page expired; ask for a code again."),
        "csrf_mismatch": ("页面已过期，请刷新后重试。", "This page expired; reload it and try again."),
        "nav_home": ("首页", "Home"),
        "nav_categories": ("分类", "Categories"),
        "nav_cart": ("购物车", "Cart"),
        "nav_me": ("我的", "Me"),
        "my_orders": ("我的订单", "My orders"),
        "my_addresses": ("收货地址", "Addresses"),
        "my_checkin": ("每日签到", "Daily check-in"),
        "my_points": ("积分与积分商城", "Points and rewards"),
        "my_coupons": ("优惠券", "Coupons"),
        "my_level": ("会员等级", "Member level"),
        "my_wallet": ("储值余额与明细", "Stored value"),
        "my_distributor": ("分销中心", "Distributor centre"),
        "password": ("密码", "Password"),
        "or_password": ("或用密码登录", "Or sign in with a password"),
        "password_sign_in": ("密码登录", "Sign in with password"),
        "set_password": ("设置登录密码", "Set a password"),
        "change_password": ("修改登录密码", "Change the password"),
        "new_password": ("新密码（至少 8 位）", "New password (8 characters or more)"),
        "password_saved": ("密码已保存，下次可用手机号 + 密码登录。", "Saved: next time sign in with phone and password."),
        "save": ("保存", "Save"),
    ]

    static func text(_ key: String, _ language: TillLanguage) -> String {
        guard let entry = entries[key] else { return key }
        return language == .zh ? entry.zh : entry.en
    }

    static func catalog(_ language: TillLanguage) -> [String: String] {
        entries.mapValues { language == .zh ? $0.zh : $0.en }
    }

    /// A rate-limit refusal (nothing was sent), saying when to try again.
    static func limit(_ limit: PhoneCodeLimit, _ language: TillLanguage) -> String {
        let s = limit.retryAfterSeconds
        switch (limit.kind, language) {
        case (.phoneMinute, .zh): return "验证码发送太频繁，请 \(s) 秒后再试。"
        case (.phoneMinute, .en): return "A code was just sent to this phone; try again in \(s) seconds."
        case (.phoneHour, .zh): return "该手机号 1 小时内最多获取 5 次验证码，请稍后再试。"
        case (.phoneHour, .en): return "This phone may get at most 5 codes an hour; try again later."
        case (.address, .zh): return "当前网络请求过于频繁，请 1 小时后再试。"
        case (.address, .en): return "Too many requests from your network; try again in an hour."
        case (.passwordTries, .zh): return "该手机号 1 小时内密码登录尝试过多，请用验证码登录或稍后再试。"
        case (.passwordTries, .en):
            return "Too many password tries for this phone this hour; sign in with a code or try later."
        }
    }

    /// Field labels in Chinese for refusals that name a field (each area adds its own).
    static let labels: [String: String] = [
        baseLabels, shopLabels, orderLabels, benefitLabels, distributorLabels,
    ].reduce(into: [:]) { all, area in all.merge(area) { first, _ in first } }

    static let baseLabels: [String: String] = [
        "phone": "手机号", "code": "验证码", "name": "昵称", "session": "登录", "password": "密码",
    ]

    static let chinese: [(pattern: String, chinese: String)] =
        baseSentences + shopSentences + orderSentences + benefitSentences + distributorSentences

    static let baseSentences: [(pattern: String, chinese: String)] = [
        (#"^手机号 must be 5–20 digits \(with \+ or -\)$"#, "手机号格式不对：应为 5–20 位数字（可含 + 或 -）"),
        (#"^验证码 must be the 6 digits sent to the phone$"#, "验证码应为短信中的 6 位数字"),
        (#"^昵称 must be 1–40 characters$"#, "昵称应为 1–40 个字"),
        (#"^no 验证码 is waiting for this phone; ask for a new one$"#, "该手机号没有待用的验证码，请重新获取"),
        (#"^this 验证码 had 5 wrong tries and is dead; ask for a new one$"#, "验证码已输错 5 次并失效，请重新获取"),
        (#"^this 验证码 expired \(codes last 5 minutes\); ask for a new one$"#, "验证码已过期（5 分钟内有效），请重新获取"),
        (#"^wrong 验证码; (\d+) more tries$"#, "验证码错误，还可再试 $1 次"),
        (#"^wrong 验证码; the code is now dead, ask for a new one$"#, "验证码错误，该验证码已失效，请重新获取"),
        (#"^wrong 手机号 or 密码; sign in with a code if you forgot it$"#, "手机号或密码错误；忘记密码请用验证码登录"),
        (#"^密码 must be 8 characters or more \(at most 72 bytes\)$"#, "密码至少 8 位（最多 72 字节）"),
        (#"^密码 must be 1–72 bytes$"#, "请输入密码（最多 72 字节）"),
    ]

    static let catalog = SentenceCatalog(chinese)

    /// A use case's refusal in the page's language.
    static func sentence(_ error: NodeError, _ language: TillLanguage) -> String {
        guard language == .zh else { return error.message }
        let rendered = error.text.rendered { labels[$0.rawValue] ?? $0.rawValue }
        return catalog.chinese(rendered) ?? error.sentence(in: .chinese)
    }
}
