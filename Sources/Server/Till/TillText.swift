/// The till's message catalog: every word a page or its script shows, in Chinese and English.
/// `%@` marks where a value goes (a time, a count, an amount).
enum TillText: String, CaseIterable, Sendable {
    case appName, sale, afterSale, shift, logout, switchLanguage
    case nodeDown, online, offlineSince, waiting, lastSync, neverSynced, unlinked, allSynced, syncing
    case scan, search, add, cart, item, qty, price, discount, amount, remove, subtotal, total, due
    case discounts, notApplied, emptyCart, noMatch
    case member, phone, find, register, name, points, storedValue, clearMember, memberFound, noMember
    case coupon, apply, redeem, pointsCap
    case pay, cash, card, wechat, alipay, stored, wallet, qrpay, points_method
    case tendered, change, addPayment, remaining, finish, reference, saleDone, printReceipt, newSale, method
    case receipt, order, cashier, time, payments, pointsEarned, thanks, print, store, till
    case findOrder, refund, restock, refundQty, refunded, reason, managerNeeded, managerId, pin, exchange, lines
    case openShift, float, closeShift, counted, zReport, expected, difference, noShift
    case shortId, exchangeDone, newItems, taken, orders, sales, refundsTotal, pointsRedeemed, openedBy, closedBy,
        shiftOpen, countedOther, cashDifference, printZ
    case login, user, loginTitle, error, refundDone, registered, enroll, enrollTitle, enrollHelp, tillToken
    case cashMove, cashIn, cashOut, cashMoves, cashMoveReason, differenceApproval
    case park, parked, resume, parkedEmpty, parkedEarlier, items

    /// The sentence in `language`.
    func text(_ language: TillLanguage) -> String {
        let pair = Self.catalog[self] ?? (rawValue, rawValue)
        return language == .zh ? pair.zh : pair.en
    }

    /// Every entry in `language`, for the page's script.
    static func all(_ language: TillLanguage) -> [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.text(language)) })
    }

    static let catalog: [TillText: (zh: String, en: String)] = [
        .appName: ("分销收银", "Fenxiao till"), .sale: ("收银", "Sale"), .afterSale: ("售后", "After-sale"),
        .shift: ("班次", "Shift"), .logout: ("退出", "Log out"), .switchLanguage: ("English", "中文"),
        .nodeDown: ("无法连接门店服务器", "Store node unreachable"), .online: ("总部在线", "Central online"),
        .offlineSince: ("离线（自 %@ 起）", "Offline since %@"),
        .waiting: ("%@ 条变更待同步", "%@ changes waiting"), .lastSync: ("上次同步 %@", "Last sync %@"),
        .neverSynced: ("尚未同步", "Never synced"), .unlinked: ("未连接总部", "Not linked to central"),
        .allSynced: ("已全部同步", "All synced"), .syncing: ("正在连接总部", "Reaching central"),
        .scan: ("扫码或输入条码 / SKU", "Scan or type a barcode / SKU"),
        .search: ("搜索商品（名称或拼音首字母）", "Search products (name or pinyin initials)"),
        .add: ("加入", "Add"), .cart: ("购物车", "Cart"), .item: ("商品", "Item"), .qty: ("数量", "Qty"),
        .price: ("单价", "Price"), .discount: ("优惠", "Discount"), .amount: ("金额", "Amount"), .remove: ("删除", "Remove"),
        .subtotal: ("原价合计", "Subtotal"), .total: ("合计", "Total"), .due: ("应收", "Due"),
        .discounts: ("优惠明细", "Discounts"), .notApplied: ("未适用", "Not applied"),
        .emptyCart: ("购物车为空，请扫码", "The cart is empty — scan an item"), .noMatch: ("没有找到商品", "No product found"),
        .member: ("会员", "Member"), .phone: ("手机号", "Phone"), .find: ("查找", "Find"),
        .register: ("快速注册", "Quick sign-up"), .name: ("姓名", "Name"), .points: ("积分", "Points"),
        .storedValue: ("储值余额", "Stored value"), .clearMember: ("移除会员", "Remove member"),
        .memberFound: ("会员", "Member"), .noMember: ("散客", "Walk-in customer"),
        .coupon: ("优惠券", "Coupon"), .apply: ("使用", "Apply"), .redeem: ("积分抵扣", "Redeem points"),
        .pointsCap: ("本单最多可用 %@ 积分（100 积分 = ¥1）", "Up to %@ points on this order (100 points = ¥1)"),
        .pay: ("收款", "Pay"), .cash: ("现金", "Cash"), .card: ("银行卡", "Card"), .wechat: ("微信支付", "WeChat Pay"),
        .alipay: ("支付宝", "Alipay"), .stored: ("储值", "Stored value"), .wallet: ("电子钱包", "Wallet"),
        .qrpay: ("扫码支付", "QR pay"), .points_method: ("积分", "Points"),
        .tendered: ("实收", "Tendered"), .change: ("找零", "Change"), .addPayment: ("拆分付款", "Split payment"),
        .remaining: ("还需收", "Still to pay"), .finish: ("完成收款", "Complete sale"), .reference: ("交易号", "Reference"),
        .saleDone: ("收款完成", "Sale complete"), .printReceipt: ("打印小票", "Print receipt"), .newSale: ("下一单", "Next sale"),
        .method: ("方式", "Method"),
        .receipt: ("购物小票", "Receipt"), .order: ("订单号", "Order"), .cashier: ("收银员", "Cashier"), .time: ("时间", "Time"),
        .payments: ("支付", "Payments"), .pointsEarned: ("本单积分", "Points earned"),
        .thanks: ("谢谢惠顾，欢迎再次光临", "Thank you, see you again"),
        .print: ("打印", "Print"), .store: ("门店", "Store"), .till: ("收银台", "Till"),
        .findOrder: ("扫描小票条码，或输入订单号后 4–6 位", "Scan the receipt, or type the last 4–6 characters of the order id"),
        .refund: ("退款", "Refund"), .restock: ("退回库存", "Return to stock"), .refundQty: ("退货数量", "Qty to refund"),
        .refunded: ("已退", "Refunded"), .reason: ("原因", "Reason"),
        .managerNeeded: ("超出您的退款权限：请店长输入工号和 PIN", "Above your refund limit: a manager enters their id and PIN"),
        .managerId: ("店长工号", "Manager id"), .pin: ("PIN", "PIN"), .exchange: ("换货", "Exchange"),
        .lines: ("商品行", "Lines"),
        .openShift: ("开班", "Open shift"), .float: ("备用金", "Float"), .closeShift: ("交班", "Close shift"),
        .counted: ("清点现金", "Counted cash"), .zReport: ("Z 报表", "Z report"), .expected: ("应有", "Expected"),
        .difference: ("差额", "Difference"),
        .noShift: ("尚未开班：请先清点备用金并开班", "No shift is open: count the float and open one"),
        .shortId: ("查单码", "Short id"), .exchangeDone: ("换货完成：退 %@", "Exchanged: refunded %@"),
        .newItems: ("换购商品（扫码）", "New items (scan)"),
        .taken: ("收款", "Taken"), .orders: ("订单数", "Orders"), .sales: ("销售额", "Sales"), .refundsTotal: ("退款", "Refunds"),
        .pointsRedeemed: ("积分抵扣", "Points redeemed"), .openedBy: ("开班", "Opened"), .closedBy: ("交班", "Closed"),
        .shiftOpen: ("班次进行中", "Shift open"), .countedOther: ("其他方式对账（可选）", "Other methods counted (optional)"),
        .cashDifference: ("现金差额", "Cash difference"), .printZ: ("打印 Z 报表", "Print the Z report"),
        .login: ("登录", "Log in"), .user: ("工号", "User id"), .loginTitle: ("收银员登录", "Cashier login"),
        .error: ("错误", "Error"),
        .enroll: ("登记收银台", "Enrol till"), .enrollTitle: ("登记这台收银机", "Enrol this till"),
        .enrollHelp: (
            "在后台电脑运行 fenxiao till add TILL-1，把显示的令牌粘贴到这里（只需一次）。",
            "On the back-office PC run `fenxiao till add TILL-1` and paste the token it shows here (once)."
        ),
        .tillToken: ("收银台令牌", "Till token"),
        .refundDone: ("已退款 %@", "Refunded %@"), .registered: ("已注册会员 %@", "Member %@ registered"),
        .cashMove: ("存取现金", "Cash in / out"), .cashIn: ("存入", "Cash in"), .cashOut: ("取出", "Cash out"),
        .cashMoves: ("现金存取记录", "Cash moves"),
        .cashMoveReason: ("原因（如：补充零钱、付供应商、存入保险柜）", "Reason (float top-up, supplier, to the safe)"),
        .differenceApproval: (
            "现金差额超过 %@ 时需店长输入工号和 PIN 批准", "A cash difference above %@ needs a store manager's id and PIN"
        ),
        .park: ("挂单", "Park"), .parked: ("挂单列表", "Parked sales"), .resume: ("取单", "Resume"),
        .parkedEmpty: ("没有挂单", "No parked sales"), .parkedEarlier: ("上一班次", "Earlier shift"),
        .items: ("件", "items"),
    ]
}
