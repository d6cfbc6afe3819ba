import Commerce
import Foundation
import Replication

/// Chinese sentences for the errors a cashier meets at the counter (login, PINs, sessions,
/// shifts, scanning, stock, members, coupons, points, stored value, payments, refunds,
/// exchanges, request formats), shared by every face that speaks Chinese: the CLI under
/// `LANG=zh_CN.UTF-8` and the till.
///
/// Each entry is the English sentence a use case writes, as a pattern whose groups catch the
/// values (ids, amounts, times) and the field names (rendered by the face: `--pin` in the CLI,
/// `pin` or its Chinese label at the till, so a field is always caught as `\S+`), and its
/// Chinese form with `$1`… for those groups. The patterns are compiled once per process; a
/// sentence not in the catalog stays English. ``CounterErrorCatalogTests`` keeps every entry
/// compiling and matching.
public enum CounterErrorCatalog {
    /// The English pattern and the Chinese template, in the order they are tried.
    static let entries: [(pattern: String, chinese: String)] = login + shifts + selling + payments + refunds + formats

    /// The catalog compiled (once, on first use).
    static let catalog = SentenceCatalog(entries)

    /// How many entries failed to compile (0; a test asserts it).
    static var broken: Int { catalog.broken }

    /// The Chinese form of an English error sentence, or nil when the catalog has none.
    public static func chinese(_ english: String) -> String? { catalog.chinese(english) }

    static let login: [(pattern: String, chinese: String)] = [
        (
            #"^wrong (\S+) for user (\S+); (\d+) more wrong PINs? lock the user for 15 minutes$"#,
            "用户 $2 的 $1 错误；再错 $3 次将锁定 15 分钟"
        ),
        (#"^wrong (\S+) for user (\S+); the user is now locked for 15 minutes$"#, "用户 $2 的 $1 错误；该用户已被锁定 15 分钟"),
        (
            #"^user (\S+) is locked after (\d+) wrong PINs until (\S+); wait, or a store manager sets a new PIN$"#,
            "用户 $1 连续输错 $2 次 PIN，锁定至 $3；请等待，或由店长重设 PIN"
        ),
        (#"^user (\S+) has a PIN at this node: give (\S+) with (\S+)$"#, "用户 $1 在本店已设置 PIN：使用 $3 时请同时提供 $2"),
        (
            #"^user (\S+) has no PIN here yet; set one with `fenxiao user set-pin`$"#,
            "用户 $1 在本店尚未设置 PIN；请由店长用 `fenxiao user set-pin` 设置"
        ),
        (#"^(\S+) must be 4 to 6 digits$"#, "$1 必须是 4 到 6 位数字"),
        (#"^log in at this till with your user id and PIN$"#, "请用工号和 PIN 在本收银台登录"),
        (
            #"^this browser is not an enrolled till; open the enrolment link from `fenxiao till add`$"#,
            "此浏览器不是已登记的收银台；请打开 `fenxiao till add` 给出的登记链接"
        ),
        (
            #"^this (\S+) expired at (\S+) \(sessions last 12 hours\); log in again with your PIN$"#,
            "此 $1 已于 $2 过期（最长 12 小时）；请用 PIN 重新登录"
        ),
        (
            #"^this (\S+) was idle since (\S+) \(30 minutes\); log in again with your PIN$"#,
            "此 $1 自 $2 起闲置超过 30 分钟；请用 PIN 重新登录"
        ),
        (#"^this (\S+) ended at (\S+); log in again with your PIN$"#, "此 $1 已于 $2 结束；请用 PIN 重新登录"),
        (#"^this (\S+) is unknown here; log in with your PIN$"#, "本店没有此 $1；请用 PIN 登录"),
        (
            #"^(\S+) is not a till of this store; enrol the till with `fenxiao till add`$"#,
            "$1 不是本店的收银台；请用 `fenxiao till add` 登记本收银台"
        ),
        (#"^till (\S+) was revoked; its sessions ended$"#, "收银台 $1 已被停用，其登录已全部结束"),
        (
            #"^till (\S+) was revoked; a store manager enrols it again with .*$"#,
            "收银台 $1 已被停用；请店长用 `fenxiao till add $1` 重新登记"
        ),
        (#"^till (\S+) is not enrolled here; .*$"#, "本店没有登记收银台 $1；请店长用 `fenxiao till add $1` 登记"),
        (
            #"^(\S+) must be 1–32 letters, digits, '-' or '_' \(e\.g\. TILL-2\)$"#,
            "$1 必须是 1–32 个字母、数字、“-”或“_”（例如 TILL-2）"
        ),
        (#"^user (\S+) \((\S+)\) is not store staff and cannot log in at a till$"#, "用户 $1（$2）不是门店员工，不能登录收银台"),
        (
            #"^user (\S+) is unknown here \(this chain has no users yet\); add users at head office$"#,
            "本店没有用户 $1（尚未建立任何用户）；请在总部添加用户"
        ),
        (#"^user (\S+) is unknown here; check the id or run `fenxiao sync`$"#, "本店没有用户 $1；请检查编号或运行 `fenxiao sync`"),
        (#"^user (\S+) is unknown here; run `fenxiao sync` first$"#, "本店没有用户 $1；请先运行 `fenxiao sync`"),
        (#"^user (\S+) is disabled$"#, "用户 $1 已停用"),
        (#"^user (\S+) \((\S+)\) is not store staff; PINs are for staff who sell$"#, "用户 $1（$2）不是门店员工；PIN 只给收银的员工"),
        (
            #"^user (\S+) \((\S+)\) may not set the PIN of (\S+) \((\S+)\); ask head office$"#,
            "用户 $1（$2）不能设置 $3（$4）的 PIN；请联系总部"
        ),
        (
            #"^user (\S+) \((\S+)\) may refund up to (\S+); (\S+) needs a store manager or head office$"#,
            "用户 $1（$2）最多可退款 $3；$4 需要店长或总部（店长可输入 PIN 授权）"
        ),
        (#"^user (\S+) \((\S+)\) may not (.+); ask a user whose role allows it$"#, "用户 $1（$2）无权执行“$3”；请由有此权限的人员操作"),
    ]

    static let shifts: [(pattern: String, chinese: String)] = [
        // Cash in/out, the drawer difference and parked sales (挂单).
        (#"^(\S+) must be an amount in yuan above 0 \(e\.g\. 200\.00\)$"#, "$1 必须是大于 0 的金额（元，例如 200.00）"),
        (
            #"^(\S+) must say why in one line of at most (\d+) characters \(e\.g\. .*\)$"#,
            "$1 请用一行说明原因，最多 $2 个字（例如 付供应商 / 存入保险柜）"
        ),
        (#"^shift (\S+) already has (\d+) cash moves; close it and open a new one$"#, "班次 $1 已有 $2 笔存取现金；请交班后开新班次"),
        (#"^(\S+) must be an amount in yuan, 0 or more \(e\.g\. 50\.00\)$"#, "$1 必须是以元为单位、不小于 0 的金额（例如 50.00）"),
        (
            #"^the cash difference of (\S+) is above (\S+): a store manager approves it with (\S+) and (\S+)$"#,
            "现金差额 $1 超过 $2：需店长输入 $3 和 $4 授权"
        ),
        (#"^(\S+) must hold 1 to (\d+) lines to park$"#, "挂单的 $1 必须有 1 到 $2 行"),
        (#"^(\S+) must be SKU codes with a quantity of 1 to (\d+)$"#, "$1 必须是商品编码，数量 1 到 $2"),
        (#"^a parked cart's member or coupon is at most 128 bytes$"#, "挂单的会员或优惠券最多 128 字节"),
        (#"^(\d+) sales are parked already; resume or finish one first$"#, "已挂起 $1 单；请先取单或完成一单"),
        (#"^parked sale (\S+) is not parked here \(resumed already\?\)$"#, "本店没有挂单 $1（可能已被取单）"),
        (#"^till (\S+) already has shift (\S+) open since (\S+); close it first$"#, "收银台 $1 已有班次 $2 自 $3 起未交班；请先交班"),
        (#"^shift (\S+) is closed; open a new shift at till (\S+)$"#, "班次 $1 已交班；请在收银台 $2 开新班次"),
        (#"^shift (\S+) is unknown here; see `fenxiao shift list`$"#, "本店没有班次 $1；请查看 `fenxiao shift list`"),
        (#"^shift (\S+) belongs to (.+)$"#, "班次 $1 属于 $2，不是本店的班次"),
        (#"^closing a shift needs the cash (\S+) in the drawer \(e\.g\. 1234\.50\)$"#, "交班需要钱箱现金清点金额 $1（例如 1234.50）"),
        (
            #"^no shift is open at till (\S+): open one \(with the float in the drawer\) before selling$"#,
            "收银台 $1 尚未开班：请先清点备用金并开班，再收银"
        ),
        (#"^no shift is open at till (\S+): open one before an exchange$"#, "收银台 $1 尚未开班：请先开班，再换货"),
        (#"^no shift is open at till (\S+)$"#, "收银台 $1 尚未开班"),
        (#"^(\S+) amounts must be 0 or more$"#, "$1 金额不能为负"),
        (#"^(\S+) must be an amount in yuan, 0 or more \(e\.g\. 500\.00\)$"#, "$1 必须是以元为单位、不小于 0 的金额（例如 500.00）"),
        (#"^(\S+) must be an amount in yuan, e\.g\. 200\.00$"#, "$1 必须是以元为单位的金额（例如 200.00）"),
        (#"^shifts are opened at a store's till; run it on the store node$"#, "班次只能在门店收银台开；请在门店节点上操作"),
    ]

    static let selling: [(pattern: String, chinese: String)] = [
        (#"^(\S+) must be a barcode or a SKU code \(1–64 characters\)$"#, "$1 必须是条码或商品编码（1–64 个字符）"),
        (#"^no SKU has barcode or code (\S+); .*$"#, "没有条码或编码为 $1 的商品；请按名称搜索，或请总部添加条码"),
        (
            #"^(\S+) to search must be 1–64 characters \(a name, pinyin initials, a code\)$"#,
            "$1 搜索内容必须是 1–64 个字符（名称、拼音首字母或编码）"
        ),
        (#"^SKU (\S+) is not in the catalog; .*$"#, "商品目录中没有 $1；请运行 `fenxiao sync` 或检查编码"),
        (#"^SKU (\S+) is off the shelf and cannot be sold$"#, "商品 $1 已下架，不能销售"),
        (
            #"^only (-?\d+) × (\S+) available at (\S+) \(asked (\d+)\); receive or count the stock first$"#,
            "$3 仅有 $1 件 $2 可售（需要 $4 件）；请先入库或盘点"
        ),
        (#"^(\S+) is out of stock at (\S+)$"#, "$2 的 $1 已无库存"),
        (#"^(\S+) must be 5–20 digits \(with \+ or -\)$"#, "$1 必须是 5–20 位数字（可含 + 或 -）"),
        (#"^phone '(.*)' must be 5–20 digits \(with \+ or -\)$"#, "手机号必须是 5–20 位数字（可含 + 或 -）"),
        (
            #"^no member has (\S+) (\S+) here; register them with a (\S+) and this phone$"#,
            "本店没有 $1 为 $2 的会员；请用 $3 和此手机号登记"
        ),
        (#"^member (\S+) is unknown here; check the id or run `fenxiao sync`$"#, "本店没有会员 $1；请检查编号或运行 `fenxiao sync`"),
        (#"^phone (\S+) already belongs to (\S+)$"#, "手机号 $1 已属于会员 $2"),
        (#"^a new member needs (\S+)$"#, "登记新会员需要 $1"),
        (#"^the id (\S+) drawn for the new member is taken; try again$"#, "为新会员生成的编号 $1 已被占用；请重试"),
        (#"^member id '(.*)' must be letters, digits, '-' or '_'$"#, "会员编号只能包含字母、数字、“-”或“_”"),
        (#"^coupon (\S+) does not exist; check the code$"#, "优惠券 $1 不存在；请检查券码"),
        (#"^coupon (\S+) has ended$"#, "优惠券 $1 已过期"),
        (#"^coupon (\S+) has already been used$"#, "优惠券 $1 已被使用"),
        (#"^member (\S+) has already used coupon (\S+)$"#, "会员 $1 已使用过优惠券 $2"),
        (#"^coupon (\S+) is for members who hold it; (\S+) does not$"#, "优惠券 $1 仅限持券会员使用；会员 $2 未持有此券"),
        (#"^coupon (\S+) is for members who hold it; give (\S+)$"#, "优惠券 $1 仅限持券会员使用；请提供 $2"),
        (#"^coupon (\S+) does not apply to this cart$"#, "优惠券 $1 不适用于此购物车"),
        (#"^coupon (\S+) has expired$"#, "优惠券 $1 已过期"),
        (#"^coupon (\S+) is not valid yet$"#, "优惠券 $1 尚未生效"),
        (#"^coupon (\S+) takes nothing off this cart$"#, "优惠券 $1 对此购物车没有优惠"),
        (
            #"^coupon (\S+) cannot be combined with promotion (\S+), which excludes coupons$"#,
            "优惠券 $1 不能与促销 $2 同时使用（该促销不可用券）"
        ),
        (#"^coupon (\S+) is for (.+), and none is in the cart$"#, "优惠券 $1 仅适用于指定商品（$2），购物车中没有"),
        (#"^coupon (\S+) makes (\S+) free, and none is in the cart$"#, "优惠券 $1 赠送 $2，但购物车中没有该商品"),
        (
            #"^coupon (\S+) needs a spend of at least (\S+).* \(this cart: (\S+)\)$"#,
            "优惠券 $1 需满 $2 才可使用（会员价、满减和用券之前计；此购物车：$3）"
        ),
        (#"^coupon (\S+) is for members only$"#, "优惠券 $1 仅限会员使用"),
        (#"^coupon (\S+) is for member (levels|groups) (.+) only$"#, "优惠券 $1 仅限以下会员使用：$3"),
        (#"^coupon (\S+) is valid only at stores (.+)$"#, "优惠券 $1 仅限以下门店使用：$2"),
        (#"^coupon (\S+) is valid only at the counter$"#, "优惠券 $1 仅限门店使用"),
        (#"^coupon (\S+) is valid only online$"#, "优惠券 $1 仅限线上使用"),
        (#"^coupon code '(.*)' must be letters, digits, '-' or '_'$"#, "优惠券码只能包含字母、数字、“-”或“_”"),
        (#"^(\S+) must not be negative$"#, "$1 不能为负数"),
        (#"^points are redeemed by a member: give (\S+)$"#, "积分须由会员使用：请提供 $1"),
        (#"^points are redeemed at the counter by a member: give (\S+)$"#, "积分须由会员在收银台使用：请提供 $1"),
        (#"^at most (\d+) (\S+) can be redeemed on this order$"#, "本单最多可用 $1 $2"),
        (
            #"^at most (\d+) points \((\d+) % of (\S+)\) can be redeemed on this order$"#,
            "本单最多可用 $1 积分（$3 的 $2%）"
        ),
        (#"^member (\S+) has (-?\d+) points here; cannot redeem (\d+)$"#, "会员 $1 在本店有 $2 积分，不能使用 $3 积分"),
        (#"^(\S+) must be 1…100,000,000$"#, "$1 必须在 1 到 100,000,000 之间"),
    ]

    static let payments: [(pattern: String, chinese: String)] = [
        (
            #"^member (\S+) has (\S+) stored value here; the order needs (\S+)$"#,
            "会员 $1 在本店的储值余额为 $2，本单需要 $3"
        ),
        (#"^paying from stored value \((\S+) stored\) needs (\S+)$"#, "使用储值付款需要提供 $2"),
        (#"^stored value pays once per order: give one (\S+) stored$"#, "每单只能使用一笔储值付款"),
        (
            #"^the (\S+) parts add up to (\S+); the order's amount due is (\S+): make them equal, or leave one amount open$"#,
            "各笔 $1 合计 $2，订单应付 $3：请使金额相等，或留一笔不填金额"
        ),
        (#"^the (\S+) parts add up to (\S+), more than the (\S+) due$"#, "各笔 $1 合计 $2，超过应付 $3"),
        (#"^(\S+) (\S+) is less than the (\S+) to pay in cash$"#, "$1 $2 少于应付现金 $3"),
        (#"^(\S+) is the cash handed over; it goes with a cash payment$"#, "$1 是顾客交付的现金，只用于现金付款"),
        (#"^a sale needs at least one of (\S+)$"#, "收款至少需要一笔 $1"),
        (#"^at most 8 (\S+) parts per order$"#, "每单最多拆分 8 笔 $1"),
        (#"^only one (\S+) may leave its amount open .*$"#, "只能有一笔 $1 不填金额（收取余额）；其他各笔请填写金额"),
        (#"^give one (\S+) method, or a split payment, not both$"#, "请只给一种 $1 方式，或使用拆分付款，不要同时使用"),
        (#"^(\S+) must be 1–64 letters, digits, '-' or '_'$"#, "$1 必须是 1–64 个字母、数字、“-”或“_”"),
        (#"^a counter sale needs (\S+).*$"#, "门店销售需要 $1（付款方式）"),
        (#"^split payments, (\S+) and (\S+) are for counter sales$"#, "拆分付款、$1 和 $2 只用于门店销售"),
    ]

    static let refunds: [(pattern: String, chinese: String)] = [
        (#"^no order here ends with (\S+); scan the receipt or type more of the id$"#, "本店没有以 $1 结尾的订单；请扫描小票或输入更多位订单号"),
        (#"^(\d+) orders end with (\S+): (.+); type more of the id$"#, "有 $1 个订单以 $2 结尾：$3；请输入更多位订单号"),
        (
            #"^(\S+) suffix must be the last 4–6 letters or digits of the order id \(on the receipt\)$"#,
            "订单号后缀必须是订单号（见小票）的最后 4–6 位字母或数字"
        ),
        (#"^order (\S+) is unknown here; check the id or run `fenxiao sync`$"#, "本店没有订单 $1；请检查订单号或运行 `fenxiao sync`"),
        (
            #"^order (\S+) closed on (\S+), at the end of its (\d+)-day after-sale period: (\S+) (\S+) comes after it and cannot change it; nothing written\. Make good with the member another way \(a stored-value credit, `fenxiao member topup`\)$"#,
            "订单 $1 已于 $2 过了 $3 天售后期，不能再退款、付款或改状态；未作任何更改。如需补偿会员，请改用储值充值（`fenxiao member topup`）"
        ),
        (
            #"^order (\S+) closed on (\S+), at the end of its (\d+)-day after-sale period: a refund can no longer be requested; nothing written$"#,
            "订单 $1 已于 $2 过了 $3 天售后期，不能再申请退款；未作任何更改"
        ),
        (
            #"^order (\S+) is unknown here: it may have closed and left this store \(after its after-sale period; head office keeps it\); check the id or run `fenxiao sync`$"#,
            "本店没有订单 $1：它可能已过售后期并从本店移除（总部保留全部订单）；请检查订单号或运行 `fenxiao sync`"
        ),
        (
            #"^order (\S+) was sold at (\S+); returns of other stores' orders go through head office$"#,
            "订单 $1 在 $2 售出；其他门店订单的退货须经总部处理"
        ),
        (#"^refund (\S+) exceeds the (\S+) still refundable on order (\S+)$"#, "退款 $1 超过订单 $3 尚可退的 $2"),
        (
            #"^line (\S+) of order (\S+) has (\d+) of its (\d+) units left to refund \(asked (\d+)\).*$"#,
            "订单 $2 第 $1 行共 $4 件，尚可退 $3 件（申请退 $5 件）"
        ),
        (
            #"^line (\d+) \((\S+)\) has (\d+) of (\d+) units left to refund; (\d+) were asked$"#,
            "第 $1 行（$2）共 $4 件，尚可退 $3 件（申请退 $5 件）"
        ),
        (#"^line (\d+) is not in this order; it has lines 1 to (\d+)$"#, "本单没有第 $1 行；共有第 1 到 $2 行"),
        (#"^order (\S+) has no line (\d+).*$"#, "订单 $1 没有第 $2 行"),
        (#"^order (\S+) has nothing left to refund$"#, "订单 $1 已无可退金额"),
        (#"^order (\S+) is (\S+) with nothing left to refund \(paid (\S+)\)$"#, "订单 $1 状态为 $2，已无可退金额（实付 $3）"),
        (#"^order (\S+) is (\S+); it cannot become (\S+)\..*$"#, "订单 $1 状态为 $2，不能变为 $3"),
        (#"^choose at least one of the order's (\S+)s to refund$"#, "请至少选择订单的一行商品退款"),
        (#"^no refund request (\S+)$"#, "没有退款申请 $1"),
        (#"^refund request (\S+) is already (\S+)$"#, "退款申请 $1 已是 $2 状态"),
        (#"^refund at least 1 unit of line (\d+) \((\S+)\)$"#, "第 $1 行（$2）至少退 1 件"),
        (#"^those units cost nothing; nothing to refund.*$"#, "这些商品实付为 0，无需退款（如需入库请用 `fenxiao stock receive`）"),
        (
            #"^(\S+) returns every line, so it needs a full refund of order (\S+); .*$"#,
            "$1 会退回所有商品，因此需要全额退款订单 $2；请全额退款，或将商品入库"
        ),
        (
            #"^give either (\S+) or (\S+) \(the amount of returned lines is computed\)$"#,
            "请给出 $1 或 $2 其中之一（退货行的金额会自动计算）"
        ),
        (#"^refund amount '(.*)' must be a positive amount in yuan.*$"#, "退款金额必须是以元为单位的正数（例如 12.50）"),
        (#"^an exchange is a counter sale \((\S+) pos\)$"#, "换货是门店销售（$1 为 pos）"),
        (#"^an exchange returns at least one (\S+) LINE:QTY$"#, "换货至少退回一行商品（行号:数量）"),
    ]

    static let formats: [(pattern: String, chinese: String)] = [
        (#"^(\S+) must be BARCODE:QTY, e\.g\. 6901234567890:2$"#, "$1 必须是 条码:数量，例如 6901234567890:2"),
        (#"^(\S+) must be LINE:QTY, e\.g\. (\S+) \(got (.*)\)$"#, "$1 必须是 行号:数量，例如 $2（收到 $3）"),
        (#"^(\S+) (\S+) must have LINE and QTY of at least 1$"#, "$1 $2 的行号和数量都必须至少为 1"),
        (#"^line '(.*)' is not SKU:QTY \(for example TEA-01:2\)$"#, "商品行“$1”不是 编码:数量 的格式（例如 TEA-01:2）"),
        (#"^line '(.*)': quantity '(.*)' is not a whole number$"#, "商品行“$1”的数量“$2”不是整数"),
        (#"^line '(.*)': quantity must be between 1 and 9999$"#, "商品行“$1”的数量必须在 1 到 9999 之间"),
        (#"^an order has at most 200 lines$"#, "一个订单最多 200 行商品"),
        (#"^(\S+) of (\S+) must be between 1 and 9999$"#, "$2 的 $1 必须在 1 到 9999 之间"),
        (
            #"^(\S+) '(.*)' is not a SKU code \(1–64 letters, digits, '-', '\.', '_'\)$"#,
            "$1“$2”不是商品编码（1–64 个字母、数字、“-”“.”或“_”）"
        ),
        (#"^refund (\S+) (\S+) must be a positive amount in yuan$"#, "退款 $1 $2 必须是以元为单位的正数"),
        (
            #"^barcode line '(.*)': quantity '(.*)' must be a whole number from 1 to 9999$"#,
            "扫码行“$1”的数量“$2”必须是 1 到 9999 之间的整数"
        ),
        (#"^an order needs at least one (\S+) SKU:QTY$"#, "订单至少需要一行商品"),
        (#"^(.+) does not fit in 64 bits .*$"#, "$1 超出了 64 位整数范围（远超任何业务上限）；未做任何更改"),
        (#"^(\S+) is missing$"#, "缺少 $1"),
        (#"^(\S+) has a value of the wrong kind$"#, "$1 的值类型不对"),
        (#"^the request body is not valid JSON$"#, "请求内容不是有效的 JSON"),
        (#"^request body exceeds 256 KiB$"#, "请求内容超过 256 KiB"),
        (#"^a form is at most 16 KiB$"#, "表单内容最多 16 KiB"),
        (#"^(\S+) must be at most (\d+) characters$"#, "$1 最多 $2 个字符"),
        (#"^(\S+) must have at most (\d+) entries$"#, "$1 最多 $2 项"),
        (#"^(\S+) must be from 0 to (\d+) fen$"#, "$1 必须在 0 到 $2 分之间"),
        (#"^(\S+) must be a whole number that fits in 64 bits$"#, "$1 必须是 64 位以内的整数"),
        (#"^(\S+) must be a whole number from 1 to 9999$"#, "$1 必须是 1 到 9999 之间的整数"),
        (#"^(\S+) must be a line number of the order \(1 to 1000\)$"#, "$1 必须是订单中的行号（1 到 1000）"),
        (#"^(\S+) must be 1–(\d+) characters$"#, "$1 必须是 1–$2 个字符"),
    ]
}

extension NodeError {
    /// The sentence in `language`, each field shown by `name`: a pricing fact (a refused coupon)
    /// rendered by ``PricingText``; else Chinese from ``CounterErrorCatalog`` when it has the
    /// sentence, else English.
    public func sentence(in language: Language, naming name: (Field) -> String = \.rawValue) -> String {
        if let pricingNote { return PricingText.sentence(pricingNote, in: language) }
        let rendered = text.rendered(name)
        guard language == .chinese else { return rendered }
        return CounterErrorCatalog.chinese(rendered) ?? rendered
    }

    /// The Chinese sentence with each field shown by `name`, or nil when the catalog has none
    /// (a face then shows the English sentence with its own field names).
    public func chineseSentence(naming name: (Field) -> String = \.rawValue) -> String? {
        CounterErrorCatalog.chinese(text.rendered(name))
    }
}
