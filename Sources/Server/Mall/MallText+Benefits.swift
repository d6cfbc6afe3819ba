/// The benefits pages' words and refusals (merged into ``MallText/entries``).
extension MallText {
    static let benefitEntries: [String: (zh: String, en: String)] = [
        // Check-in
        "streak_days": ("天连续签到", "days in a row"),
        "checkin_today": ("今天", "Today"),
        "checkin_reward": ("签到奖励", "Check-in reward"),
        "checked_today": ("今日已签到", "Checked in today"),
        "not_checked_today": ("今日尚未签到", "Not checked in yet today"),
        "checkin_now": ("签到", "Check in"),
        "checkin_done": ("签到成功，积分已到账。", "Checked in; the points are yours."),
        "checkin_already": ("今天已经签到过了，积分不会重复发放。", "You already checked in today; no more points today."),
        "checkin_rule": (
            "每天（北京时间）可签到一次，门店和商城合计一次。",
            "One check-in a day (China time), in the mall and at our stores together."
        ),
        // Points
        "points_available": ("可用积分", "points available"),
        "points_expiring": ("即将过期", "Expiring soon"),
        "expire_by": ("截至", "by"),
        "points_expired": ("已过期", "Expired"),
        "points_lifetime": ("累计获得积分", "Points earned in all"),
        "points_mall": ("积分商城", "Points rewards"),
        "points_mall_empty": ("暂无可兑换的商品。", "Nothing to exchange yet."),
        "points_short": ("积分不足", "Not enough points"),
        "item_at_counter": ("兑换后到门店领取", "Collect it at a store"),
        "points_exchange": ("兑换", "Exchange"),
        "points_history": ("积分明细", "Points history"),
        "ledger_empty": ("暂无记录。", "Nothing yet."),
        "ledger_reason_checkin": ("签到", "Check-in"),
        "ledger_reason_share": ("分享", "Share"),
        "ledger_reason_exchange": ("积分兑换", "Exchange"),
        "ledger_reason_order": ("购物", "Purchase"),
        "ledger_reason_redeem": ("积分抵扣", "Paid with points"),
        "ledger_reason_refund": ("退款", "Refund"),
        "ledger_reason_gift": ("赠送", "Gift"),
        "ledger_reason_birthday": ("生日礼", "Birthday"),
        "ledger_reason_topup": ("充值", "Top-up"),
        "ledger_reason_deposit": ("充值", "Deposit"),
        "ledger_reason_bonus": ("充值赠送", "Top-up bonus"),
        "ledger_reason_payment": ("消费", "Payment"),
        // Coupons
        "claimable_coupons": ("可领取的优惠券", "Coupons to claim"),
        "no_claimable": ("暂无可领取的优惠券。", "No coupons to claim now."),
        "coupon_claim": ("领取", "Claim"),
        "coupon_claimed": ("已领取：", "Claimed:"),
        "claim_rule": (
            "每张优惠券每位会员限领一张；公开券在结算时直接输入券码使用。",
            "Each member claims each coupon once; public coupons are used by their code at checkout."
        ),
        "held_coupons": ("我的优惠券", "My coupons"),
        "no_held": ("还没有优惠券。", "No coupons yet."),
        "coupon_unused": ("未使用", "Unused"),
        "coupon_used": ("已使用", "Used"),
        "coupon_expired": ("已过期", "Expired"),
        "coupon_no_min_spend": ("无门槛", "No minimum spend"),
        "coupon_valid_until": ("有效期至", "valid until"),
        "coupon_no_end": ("长期有效", "no end date"),
        "benefit_free_shipping": ("免运费", "Free shipping"),
        // Level
        "birthday_coupon": ("生日赠优惠券", "A coupon on your birthday"),
        "lifetime_spend": ("累计消费", "Spent in all"),
        "next_level": ("下一等级", "Next level"),
        "top_level": ("已是最高等级。", "You are at the top level."),
        "all_levels": ("全部等级", "All levels"),
        "level_needs": ("需", "level_needs"),
        // Stored value
        "topup_at_store": (
            "储值请到门店收银台充值；商城与门店共用同一余额。",
            "Top up at a store's counter; the mall and our stores share one balance."
        ),
        "topup_bonuses": ("充值赠送", "Top-up bonuses"),
        "wallet_history": ("储值明细", "Stored-value history"),
    ]

    static let benefitSentences: [(pattern: String, chinese: String)] = [
        (#"^member \S+ has (-?\d+) points here; \S+ costs (\d+)$"#, "积分不足：您有 $1 积分，该商品需要 $2 积分"),
        (#"^\S+ is not in the points catalog; see `fenxiao points catalog`$"#, "该商品不在积分商城中"),
        (#"^(\S+) is out of stock at \S+$"#, "$1 已兑完，请稍后再来"),
        (#"^member \S+ already holds coupon (\S+)$"#, "您已领取过优惠券 $1，每人限领一张"),
        (#"^coupon (\S+) is not one you can claim$"#, "优惠券 $1 不可领取"),
        (#"^coupon (\S+) has ended$"#, "优惠券 $1 已过期"),
        (#"^coupon (\S+) does not exist; check the code$"#, "优惠券 $1 不存在"),
        (#"^优惠券 must be a coupon code \(letters, digits, '-' or '_'\)$"#, "券码格式不对"),
        (#"^兑换项 must be sku:<code> or coupon:<code> of the points catalog$"#, "兑换项不对，请从积分商城选择"),
        (#"^商品 must be a product code of the catalog$"#, "商品编号不对"),
        (#"^product (\S+) has no SKUs in the catalog; check the code$"#, "商品 $1 不存在"),
        (#"^member \S+ has already checked in on (\S+)$"#, "$1 已签到"),
    ]

    static let benefitLabels: [String: String] = ["item": "兑换项", "product": "商品", "coupon": "优惠券"]
}
