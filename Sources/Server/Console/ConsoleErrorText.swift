import Foundation
import Node
import Replication

/// A use case's error as head office reads it in the console: in Chinese from this catalog of
/// the console's own sentences (login, passwords, withdrawal steps), else from the counter's
/// shared catalog (``NodeError/sentence(in:naming:)``: permissions, unknown users…), else in
/// English. Fields are named by their Chinese labels.
enum ConsoleErrorText {
    static let labels: [String: String] = [
        "password": "密码", "user": "用户名", "session": "登录", "note": "处理说明", "step": "操作",
    ]

    static let entries: [(pattern: String, chinese: String)] = [
        (
            #"^wrong 密码 for user (\S+); (\d+) more wrong lock the user for 15 minutes$"#,
            "用户 $1 的密码错误；再错 $2 次将锁定 15 分钟"
        ),
        (#"^wrong 密码 for user (\S+); the user is now locked for 15 minutes$"#, "用户 $1 的密码错误；该用户已被锁定 15 分钟"),
        (
            #"^user (\S+) is locked after (\d+) wrong passwords until (\S+); wait, or an admin sets a new password$"#,
            "用户 $1 连续输错 $2 次密码，锁定至 $3；请等待，或由管理员重设密码"
        ),
        (
            #"^user (\S+) has no console password; a head-office user manager sets one at central first$"#,
            "用户 $1 尚未设置后台密码；请总部用户管理员先在总部设置"
        ),
        (#"^user (\S+) \((\S+)\) has no head-office permission$"#, "用户 $1（$2）没有总部权限，不能使用后台"),
        (#"^withdrawal (\S+) is (\S+); it cannot become (\S+)$"#, "提现 $1 当前状态为 $2，不能变为 $3"),
        // The members and distributors screens' look-ups.
        (#"^no distributor (\S+); members apply with `fenxiao distributor apply`$"#, "没有分销商 $1；会员可申请成为分销商"),
        (#"^no member group (\S+); define it with `fenxiao group define`$"#, "没有会员分组 $1；请先定义该分组"),
        (#"^no member level (\S+); see `fenxiao member level`$"#, "没有会员等级 $1；请查看已定义的等级"),
        (#"^give a 处理说明 saying how it was resolved$"#, "请填写处理说明"),
        (#"^this 登录 .*; log in again$"#, "登录已失效，请重新登录"),
        // The inventory and order screens' form checks (`ConsoleInput`); fields keep their form names.
        (#"^(\S+) is at most (\d+) characters$"#, "$1 最多 $2 个字符"),
        (#"^(\S+) is required$"#, "请填写 $1"),
        (#"^(\S+) must be a whole number from (\d+) to (\d+)$"#, "$1 必须是 $2 到 $3 之间的整数"),
        (#"^(\S+) must be a positive amount in yuan with at most 2 decimals$"#, "$1 必须是以元为单位的正数，最多两位小数"),
        (#"^(\S+) must be a date like (\S+)$"#, "$1 必须是日期，例如 $2"),
        (#"^(\S+) must be approve or reject$"#, "$1 必须是 approve（批准）或 reject（拒绝）"),
        (#"^a (\S+) conflict cannot be fixed by (\S+) (\S+)$"#, "$1 类冲突的 $2 不能是 $3"),
    ]

    static let catalog = SentenceCatalog(entries)

    /// `error` in the page's language.
    static func sentence(_ error: NodeError, _ language: TillLanguage) -> String {
        guard language == .zh else { return error.message }
        let rendered = error.text.rendered { labels[$0.rawValue] ?? $0.rawValue }
        return catalog.chinese(rendered) ?? error.sentence(in: .chinese)
    }
}
