import Replication

/// The language a face speaks to its reader.
public enum Language: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case chinese = "zh"
}

/// A conflict record as a sentence for a store manager or head office: what happened and the
/// follow-up, rendered from the record's facts at the edge, in English or Chinese.
public enum ConflictText {
    public static func sentence(_ facts: ConflictFacts, in language: Language) -> String {
        switch language {
        case .english: return english(facts)
        case .chinese: return chinese(facts)
        }
    }

    static func english(_ facts: ConflictFacts) -> String {
        switch facts {
        case let .paidTwice(payment, at, order, excess, total):
            return "payment \(payment) at \(at) takes order \(order)'s payments \(Money(cents: excess)) above its "
                + "\(Money(cents: total)) total (paid at two places offline). Refund \(Money(cents: excess)) to the customer."
        case let .factBeatsCancel(order, cancelledAt, factAt, fact):
            return "order \(order) was cancelled at \(cancelledAt) while \(factAt) recorded it "
                + "\(fact); the \(fact) order stands. Follow-up: if the customer "
                + "still wants to cancel, refund it (`fenxiao order refund`) and restock the goods."
        case let .refundExceedsPaid(refund, at, order, excess, paid):
            return "refund \(refund) at \(at) takes refunds of order \(order) \(Money(cents: excess)) "
                + "above the \(Money(cents: paid)) paid (refunded twice offline). Recover \(Money(cents: excess)) "
                + "from the customer or write it off."
        case let .lineRefundExceedsSold(refund, at, order, line, extraUnits, extraCents, soldUnits, paidCents):
            return "refund \(refund) at \(at) takes line \(line) of order \(order) \(extraUnits) unit(s) and "
                + "\(Money(cents: extraCents)) above the \(soldUnits) unit(s) and \(Money(cents: paidCents)) sold "
                + "(the line was refunded twice offline). Recover \(Money(cents: extraCents)) from the customer or write it off."
        case let .transferDiscrepancy(transfer, sku, shipped, received):
            return
                "transfer \(transfer) shipped \(shipped) × \(sku) but \(received) arrived; find the \(abs(shipped - received)) "
                + "units (or count both warehouses) and close this record."
        case let .oversold(move, reason, sku, warehouse, shortfall):
            return "\(reason) \(move) took \(sku) at \(warehouse) \(shortfall) below zero after merging "
                + "(the goods are gone, the sale stands). Recount the shelf or receive stock."
        case let .allocationDisplaced(move, sku, warehouse, quantity):
            return "reservation \(move) of \(quantity) × \(sku) at \(warehouse) no longer fits after counter "
                + "sales were merged (facts before intentions). Re-allocate it to another warehouse or back-order it."
        case let .concurrentEdit(field, at, winnerAt, kept, overrode):
            return "\(field) was edited concurrently at \(at) and \(winnerAt); "
                + "kept \(kept) from \(winnerAt) (later clock), overrode \(overrode). Check with the member and edit again if wrong."
        case let .overdraft(entry, at, member, account, spent, shortfall):
            let unit = account == "points" ? "points" : "cents"
            return "\(entry) at \(at) spent \(spent) \(unit) of member \(member)'s "
                + "\(account) that other stores had already spent offline; the member owes \(shortfall) \(unit) "
                + "(recorded debt). Collect it or write it off."
        case let .duplicateClaim(key, winner, winnerAt, claimant, at, leaked):
            return "\(key) was claimed by \(winner ?? "?") (at \(winnerAt ?? "?")) and again by "
                + "\(claimant) at \(at); the first claim keeps it, the later one is kept (the sale happened) "
                + "and leaked \(Money(cents: leaked)). Follow up with the store."
        case let .pointsReturnExceedsUsed(entry, at, order, member, written, excess, used):
            return
                "\(entry) at \(at) gave back \(written) points of order \(order), of which \(excess) other refunds had "
                + "already given back (\(used) points were used on it); member \(member)'s points count them once: "
                + "\(excess) points were not credited again. Nothing to recover; check the order was not refunded twice in money."
        case let .pointsClawbackExceedsEarned(entry, at, order, member, written, excess, earned):
            return "\(entry) at \(at) clawed back \(written) earned points of order \(order), of which \(excess) other "
                + "refunds had already clawed back (it earned \(earned)); member \(member)'s points count them once: "
                + "\(excess) points were not taken again. Nothing to do."
        }
    }

    static func chinese(_ facts: ConflictFacts) -> String {
        switch facts {
        case let .paidTwice(payment, at, order, excess, total):
            return "门店 \(at) 的收款 \(payment) 使订单 \(order) 的收款超出订单总额 \(Money(cents: total)) 共 \(Money(cents: excess))"
                + "（离线时在两处重复收款）。请向顾客退还 \(Money(cents: excess))。"
        case let .factBeatsCancel(order, cancelledAt, factAt, fact):
            return "订单 \(order) 在 \(cancelledAt) 被取消，但 \(factAt) 已记录其\(statusName(fact))；以\(statusName(fact))为准，订单保留。"
                + "后续：如顾客仍要取消，请办理退款（`fenxiao order refund`）并将商品入库。"
        case let .refundExceedsPaid(refund, at, order, excess, paid):
            return "\(at) 的退款 \(refund) 使订单 \(order) 的退款超出实付 \(Money(cents: paid)) 共 \(Money(cents: excess))"
                + "（离线时重复退款）。请向顾客追回 \(Money(cents: excess)) 或核销。"
        case let .lineRefundExceedsSold(refund, at, order, line, extraUnits, extraCents, soldUnits, paidCents):
            return "\(at) 的退款 \(refund) 使订单 \(order) 第 \(line) 行多退 \(extraUnits) 件、\(Money(cents: extraCents))，"
                + "超出售出的 \(soldUnits) 件、\(Money(cents: paidCents))（该行离线时被重复退款）。请向顾客追回 \(Money(cents: extraCents)) 或核销。"
        case let .transferDiscrepancy(transfer, sku, shipped, received):
            return "调拨单 \(transfer) 发出 \(shipped) 件 \(sku)，实收 \(received) 件；请查找相差的 \(abs(shipped - received)) 件"
                + "（或盘点两个仓库）后关闭此记录。"
        case let .oversold(move, reason, sku, warehouse, shortfall):
            return "合并各店销售后，\(reasonName(reason)) \(move) 使 \(warehouse) 的 \(sku) 库存低于零 \(shortfall) 件"
                + "（商品已售出，销售有效）。请盘点货架或补货入库。"
        case let .allocationDisplaced(move, sku, warehouse, quantity):
            return "合并门店销售后，\(warehouse) 的预留 \(move)（\(quantity) 件 \(sku)）已无库存可占（已发生的销售优先于预留）。"
                + "请改由其他仓库发货或登记缺货。"
        case let .concurrentEdit(field, at, winnerAt, kept, overrode):
            return "字段 \(field) 在 \(at) 与 \(winnerAt) 被同时修改；保留 \(winnerAt) 的 \(kept)（时钟较晚），"
                + "覆盖了 \(overrode)。如有误请与会员核实后重新修改。"
        case let .overdraft(entry, at, member, account, spent, shortfall):
            let what = account == "points" ? "积分" : "储值"
            let amount = { (n: Int64) in account == "points" ? "\(n) 积分" : "\(Money(cents: n))" }
            return "\(at) 的 \(entry) 使用了会员 \(member) 的\(what) \(amount(spent))，而其他门店离线时已用掉这部分；"
                + "会员欠 \(amount(shortfall))（已记为欠款）。请收回或核销。"
        case let .duplicateClaim(key, winner, winnerAt, claimant, at, leaked):
            return "\(key) 已被 \(winner ?? "?")（于 \(winnerAt ?? "?")）领用，又被 \(at) 的 \(claimant) 再次领用；"
                + "以先领用者为准，后一笔销售仍有效，多让利 \(Money(cents: leaked))。请与该门店跟进。"
        case let .pointsReturnExceedsUsed(entry, at, order, member, written, excess, used):
            return "\(at) 的 \(entry) 为订单 \(order) 退回 \(written) 积分，其中 \(excess) 积分已由其他退款退回"
                + "（该订单共使用 \(used) 积分）；会员 \(member) 的积分只计一次，这 \(excess) 积分未再次入账。"
                + "无需追回；请核对该订单的货款是否被重复退款。"
        case let .pointsClawbackExceedsEarned(entry, at, order, member, written, excess, earned):
            return "\(at) 的 \(entry) 扣回订单 \(order) 赠送的 \(written) 积分，其中 \(excess) 积分已由其他退款扣回"
                + "（该订单共赠送 \(earned) 积分）；会员 \(member) 的积分只扣一次，这 \(excess) 积分未再次扣除。无需处理。"
        }
    }

    static func statusName(_ status: String) -> String {
        switch OrderStatus(rawValue: status) {
        case .pending: return "待付款"
        case .paid: return "已付款"
        case .shipped: return "已发货"
        case .completed: return "已完成"
        case .cancelled: return "已取消"
        case .refunded: return "已退款"
        case nil: return status
        }
    }

    static func reasonName(_ reason: String) -> String {
        switch StockReason(rawValue: reason) {
        case .sale: return "销售"
        case .receive: return "入库"
        case .return: return "退货"
        case .transferOut: return "调出"
        case .transferIn: return "调入"
        case .adjust: return "调整"
        case .count: return "盘点"
        case .allocate: return "预留"
        case .release: return "释放"
        case .reallocate: return "改派"
        case nil: return reason
        }
    }
}
