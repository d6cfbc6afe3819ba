/// Pro-rated shares computed **cumulatively**: the share due after `done` of `whole` is
/// `total × done ÷ whole` (rounded down), and exactly `total` once `done` reaches `whole`.
/// A step gives back "due after it − given so far", so any sequence of steps that together
/// cover `whole` gives back exactly `total`, whatever the steps were.
public enum ProRata {
    /// The share of `total` due once `done` of `whole` is covered (0 when `whole` is not positive).
    public static func due(_ total: Int64, done: Int64, of whole: Int64) -> Int64 {
        guard whole > 0, total > 0, done > 0 else { return 0 }
        if done >= whole { return total }
        let (high, low) = total.multipliedFullWidth(by: done)
        return whole.dividingFullWidth((high, low)).quotient
    }

    /// Like ``due(_:done:of:)`` but rounded half-up (used for a line's money by units).
    public static func dueRounded(_ total: Int64, done: Int64, of whole: Int64) -> Int64 {
        guard whole > 0, total > 0, done > 0 else { return 0 }
        if done >= whole { return total }
        let (high, low) = total.multipliedFullWidth(by: done)
        let (q, r) = whole.dividingFullWidth((high, low))
        return r * 2 >= whole ? q + 1 : q
    }
}
