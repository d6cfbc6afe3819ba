extension PricingEngine {
    /// `n / d` rounded half-up (toward +∞ at exactly .5), for `d > 0`, without overflow.
    static func divideHalfUp(_ n: Int128, _ d: Int128) -> Int128 {
        let twice = 2 * n + d
        let q = twice / (2 * d)
        // Swift division truncates toward zero; step down to the floor for negative quotients.
        return (twice % (2 * d) != 0 && twice < 0) ? q - 1 : q
    }

    /// `percent`% of `cents`, with the percentage clamped to 0–100, rounded half-up to the fen.
    static func percent(_ percent: Int64, of cents: Int64) -> Int64 {
        Int64(divideHalfUp(Int128(cents) * Int128(min(max(percent, 0), 100)), 100))
    }

    /// The part of a line's net carried by `units` of its `quantity` units, rounded half-up;
    /// all the units carry exactly the net.
    static func share(of net: Int64, units: Int64, of quantity: Int64) -> Int64 {
        guard quantity > 0 else { return 0 }
        if units >= quantity { return net }
        return Int64(divideHalfUp(Int128(net) * Int128(max(units, 0)), Int128(quantity)))
    }

    /// Spreads `amount` over `base` amounts in proportion to them: floor shares, then the
    /// leftover fen one by one to the largest remainders, ties to the lower index. No share
    /// exceeds its base when `amount` does not exceed their sum; the shares sum to `amount`
    /// whenever the base sum is positive (otherwise every share is zero).
    static func allocate(_ amount: Int64, over base: [Int64]) -> [Int64] {
        let total = base.reduce(0, +)
        guard total > 0, amount > 0 else { return base.map { _ in 0 } }
        // 128-bit products: base × amount can exceed Int64 for very large orders.
        var shares = base.map { Int64(Int128($0) * Int128(amount) / Int128(total)) }
        var remainder = amount - shares.reduce(0, +)
        let order = base.indices.sorted { a, b in
            let ra = Int128(base[a]) * Int128(amount) % Int128(total)
            let rb = Int128(base[b]) * Int128(amount) % Int128(total)
            return ra != rb ? ra > rb : a < b
        }
        for i in order where remainder > 0 && shares[i] < base[i] {
            shares[i] += 1
            remainder -= 1
        }
        return shares
    }

    /// What the customer paid for `quantity` units of line `line` of a quote, after
    /// `alreadyRefunded` units of that line were refunded: the amount to give back.
    ///
    /// Successive partial refunds of a line add up to exactly its net; see
    /// `OrderLine.refundable(quantity:alreadyRefunded:)`. Throws when the line is not in the
    /// quote (gifts are not refundable) or more units are asked than are left.
    public static func refundable(line: Int, quantity: Int64, alreadyRefunded: Int64 = 0, of quote: Quote)
        throws(CommerceError) -> Money
    {
        guard let orderLine = quote.lines.first(where: { $0.line == line }) else {
            throw CommerceError(
                .invalidInput, "line \(line) is not in this order; it has lines 1 to \(quote.lines.count)")
        }
        return try orderLine.refundable(quantity: quantity, alreadyRefunded: alreadyRefunded)
    }
}

extension OrderLine {
    /// What the customer paid for `quantity` units of this line, after `alreadyRefunded` units
    /// were refunded.
    ///
    /// The net is spread over the units cumulatively: the first `k` units cost
    /// `net × k ÷ units`, rounded half-up to the fen, so refunding units in any number of steps
    /// returns exactly the line's net in the end, and never more. Throws `invalidQuantity` for
    /// a quantity below 1 and `refundExceedsPaid` beyond the units left.
    public func refundable(quantity k: Int64, alreadyRefunded r: Int64 = 0) throws(CommerceError) -> Money {
        guard k > 0, r >= 0 else {
            throw CommerceError(.invalidQuantity, "refund at least 1 unit of line \(line) (\(sku))")
        }
        guard r <= quantity, k <= quantity - r else {
            let left = max(quantity - max(r, 0), 0)
            throw CommerceError(
                .refundExceedsPaid,
                "line \(line) (\(sku)) has \(left) of \(quantity) units left to refund; \(k) were asked")
        }
        let paid = net.cents
        let upTo = { (units: Int64) in PricingEngine.share(of: paid, units: units, of: quantity) }
        return Money(cents: upTo(r + k) - upTo(r))
    }
}
