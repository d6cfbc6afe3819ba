import Commerce
import Replication
import Storage

/// The after-sale period (`OrderClosing`): head office sets how many days after its sale an
/// order stays open to refunds, payments and status changes. Each order carries the period it
/// was sold with, so changing the setting never reopens or closes an order already sold.
extension Orders {
    /// The after-sale period new orders get, in days; nil: orders never close.
    static func afterSaleDays(_ r: StoreReader) throws -> Int64? {
        try r.setting(SettingRegister.AfterSale.self).closeDays
    }

    public func afterSaleDays() throws(NodeError) -> Int64? { try read { try Self.afterSaleDays($0) } }

    /// Head office sets the after-sale period of new orders (`days` nil: orders never close).
    public func setAfterSaleDays(_ days: Int64?) throws(NodeError) -> Int64? {
        if let days, !OrderClosing.daysRange.contains(days) {
            throw NodeError(
                .invalidInput,
                "\(Field.closeDays) \(days) is out of range: an after-sale period is \(OrderClosing.daysRange.lowerBound)…\(OrderClosing.daysRange.upperBound) days"
            )
        }
        let patch =
            days.map { SettingRegister.AfterSale(closeDays: $0) } ?? SettingRegister.AfterSale(cleared: [.closeDays])
        try saveSettings(patch, permission: .marketing)
        return days
    }
}
