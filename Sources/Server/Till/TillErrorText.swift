import Commerce
import Node
import Replication

/// A use case's error as the cashier reads it: in the till's language, Chinese from the
/// counter's error catalog (``CounterErrorCatalog``, the one the CLI uses too) with the fields
/// it names shown by their Chinese labels. A sentence the catalog lacks stays English, with
/// the fields by their JSON names. The error's `field` is never translated: the page marks the
/// input of that name.
extension NodeError {
    func tillSentence(_ language: TillLanguage) -> String {
        if let pricingNote { return PricingText.sentence(pricingNote, in: language.language) }
        guard language == .zh else { return message }
        return chineseSentence(naming: TillFieldLabel.chinese) ?? message
    }
}

/// The Chinese label of a field as a till page names it (no spaces: the catalog catches a
/// field as one word).
enum TillFieldLabel {
    static func chinese(_ field: Field) -> String { labels[field.rawValue] ?? field.rawValue }

    static let labels: [String: String] = [
        "pin": "PIN", "new_pin": "新PIN", "manager_pin": "店长PIN", "user": "工号", "manager": "店长工号",
        "phone": "手机号", "name": "姓名", "member": "会员", "coupon": "优惠券", "points": "积分",
        "payment": "付款方式", "payments": "付款", "method": "付款方式", "tendered": "实收金额", "amount": "金额",
        "amount_cents": "金额", "tendered_cents": "实收金额", "float": "备用金", "float_cents": "备用金",
        "counted": "清点现金", "shift": "班次", "till": "收银台", "till_token": "收银台令牌", "session": "登录",
        "code": "条码", "line": "商品行", "lines": "商品行", "quantity": "数量", "qty": "数量", "reason": "原因",
        "id": "订单号", "sku": "商品编码", "pay_ref": "交易号", "reference": "交易号", "restock": "退回库存",
        "cart": "购物车", "channel": "渠道", "price": "价格", "discount": "优惠", "q": "搜索内容",
        "direction": "存取方向", "parked": "挂单",
    ]
}

extension TillLanguage {
    /// The language as the shared catalogs name it.
    var language: Language { self == .zh ? .chinese : .english }
}
