/// The console's message catalog: every fixed word a console page shows, in Chinese and English.
/// Data (ids, amounts, a conflict's sentence from `ConflictText`) comes from the use cases.
enum ConsoleText {
    /// One entry: `key: (中文, English)`.
    typealias Entries = [String: (zh: String, en: String)]

    /// Every screen's words: the shared ones below and each area's own (`ConsoleText+Area.swift`).
    static let entries: Entries = [shared, catalogArea, ordersArea, membersArea].reduce(into: [:]) {
        $0.merge($1) { first, _ in first }
    }

    /// Words of the frame, the dashboard, conflicts, applications and withdrawals.
    static let shared: Entries = [
        "brand": ("分销总部后台", "Fenxiao head office"),
        "dashboard": ("概览", "Dashboard"),
        "products": ("商品", "Products"),
        "marketing": ("营销", "Marketing"),
        "inventory": ("库存", "Inventory"),
        "members": ("会员", "Members"),
        "distributors": ("分销商", "Distributors"),
        "reports": ("报表", "Reports"),
        "orders_screen": ("订单", "Orders"),
        "conflicts": ("冲突", "Conflicts"),
        "applications": ("分销商申请", "Distributor applications"),
        "withdrawals": ("提现", "Withdrawals"),
        "login": ("登录", "Log in"),
        "logout": ("退出", "Log out"),
        "user": ("用户名", "User id"),
        "password": ("密码", "Password"),
        "today": ("今日", "Today"),
        "week": ("本周", "This week"),
        "month": ("本月", "This month"),
        "store": ("门店", "Store"),
        "total": ("合计", "Total"),
        "orders": ("订单数", "Orders"),
        "net": ("净销售额", "Net sales"),
        "sales": ("销售", "Sales"),
        "chart": ("近 14 天净销售额（全部门店）", "Net sales, last 14 days (all stores)"),
        "as_of": ("数字截至各门店最近一次同步。", "Figures as of each store's last sync."),
        "sync": ("门店同步", "Store sync"),
        "last_sync": ("最近同步", "Last sync"),
        "waiting": ("待下发变更", "Changes waiting"),
        "clock_offset": ("时钟偏差", "Clock offset"),
        "state": ("状态", "State"),
        "online": ("正常", "OK"),
        "silent": ("失联", "Silent"),
        "blocked": ("推送被拒", "Push refused"),
        "never": ("从未同步", "never"),
        "seconds": ("秒", "s"),
        "open_conflicts": ("未处理冲突", "Open conflicts"),
        "kind": ("类型", "Kind"),
        "count": ("数量", "Count"),
        "todo": ("待办", "To do"),
        "applications_pending": ("待审分销商申请", "Distributor applications to review"),
        "withdrawals_pending": ("待处理提现", "Withdrawals to process"),
        "refunds_pending": ("待审退款申请", "Refund requests to decide"),
        "filter": ("筛选", "Filter"),
        "status": ("状态", "Status"),
        "open": ("未处理", "Open"),
        "resolved": ("已处理", "Resolved"),
        "all": ("全部", "All"),
        "what": ("发生了什么", "What happened"),
        "note": ("处理说明", "Note"),
        "resolve": ("标记已处理", "Resolve"),
        "none": ("暂无记录", "Nothing here"),
        "approve": ("批准", "Approve"),
        "reject": ("拒绝", "Reject"),
        "pay": ("已付款", "Paid"),
        "fail": ("付款失败", "Failed"),
        "reason": ("原因", "Reason"),
        "reference": ("付款凭证号", "Payment reference"),
        "amount": ("申请金额", "Amount"),
        "fee": ("手续费", "Fee"),
        "received": ("实付", "Paid out"),
        "method": ("方式", "Method"),
        "distributor": ("分销商", "Distributor"),
        "member": ("会员", "Member"),
        "phone": ("电话", "Phone"),
        "referral": ("推荐码", "Referral code"),
        "inviter": ("邀请人", "Invited by"),
        "channels": ("推广渠道", "Channels"),
        "csv": ("导出 CSV", "Export CSV"),
        "forbidden": ("无权访问", "Not allowed"),
        "error": ("操作未完成", "Not done"),
        "back": ("返回", "Back"),
        "done": ("已完成", "Done"),
        "csrf_mismatch": (
            "表单令牌与当前登录不符（页面可能已过期）；请刷新页面后重试",
            "the form's CSRF token does not match this session; reload the page and try again"
        ),
        "login_expired": ("登录表单已过期，请重新登录", "the login form expired; it is shown again, log in once more"),
        "subject": ("对象", "Subject"),
        "id": ("编号", "Id"),
        "requested": ("待审核", "requested"),
        "approved": ("已批准", "approved"),
        "rejected": ("已拒绝", "rejected"),
        "paid": ("已付款", "paid"),
        "failed": ("付款失败", "failed"),
        "applied": ("待审核", "applied"),
        "active": ("已通过", "active"),
        "method.bank": ("银行转账", "bank transfer"),
        "method.thirdparty": ("第三方钱包", "third-party wallet"),
        "method.stored_value": ("会员余额", "stored value"),
        "method.cash": ("门店现金", "cash at a store"),
        "rule.paid_twice": ("重复付款", "Paid twice"),
        "rule.fact_beats_cancel": ("取消晚于已发生的事实", "Cancel after the fact"),
        "rule.refund_exceeds_paid": ("退款超过实付", "Refund over paid"),
        "rule.line_refund_exceeds_sold": ("退货超过售出", "Return over sold"),
        "rule.transfer_discrepancy": ("调拨数量不符", "Transfer discrepancy"),
        "rule.oversold": ("超卖", "Oversold"),
        "rule.allocation_displaced": ("预留被挤占", "Reservation displaced"),
        "rule.concurrent_edit": ("同时修改", "Concurrent edit"),
        "rule.overdraft": ("余额透支", "Overdraft"),
        "rule.duplicate_claim": ("重复领取", "Duplicate claim"),
        "rule.points_return_exceeds_used": ("退还积分超过已用", "Points returned over used"),
        "rule.points_clawback_exceeds_earned": ("扣回积分超过已得", "Points clawed back over earned"),
    ]

    /// A conflict kind's name in `language` (the rule's id when the catalog has no name for it).
    static func rule(_ rule: String, _ language: TillLanguage) -> String {
        entries["rule.\(rule)"].map { language == .zh ? $0.zh : $0.en } ?? rule
    }

    /// Every entry in `language`, for a template's `t.…`.
    static func catalog(_ language: TillLanguage) -> [String: String] {
        entries.mapValues { language == .zh ? $0.zh : $0.en }
    }

    /// One entry in `language` (the key itself when the catalog lacks it).
    static func text(_ key: String, _ language: TillLanguage) -> String {
        entries[key].map { language == .zh ? $0.zh : $0.en } ?? key
    }
}
