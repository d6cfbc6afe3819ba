import Commerce
import Replication
import Storage

extension Orders {
    /// The shipping fee of online orders, in fen (0 unless head office sets one).
    static func shippingFee(_ r: StoreReader) throws -> Int64 {
        try r.setting(SettingRegister.Shipping.self).fee?.cents ?? 0
    }

    public func shippingFee() throws(NodeError) -> Int64 { try read { try Self.shippingFee($0) } }

    /// Head office sets the shipping fee of online orders (members whose level ships free, and
    /// free-shipping coupons, do not pay it).
    public func setShippingFee(_ amount: Money) throws(NodeError) -> Int64 {
        let fee = try Amounts.fen(amount, .fee, max: 100_000)
        try saveSettings(SettingRegister.Shipping(fee: Money(cents: fee)), permission: .marketing)
        return fee
    }
}
