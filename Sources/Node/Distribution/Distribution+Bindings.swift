import Commerce
import Replication
import Storage

/// Customers bound to distributors: by referral code (`distributor bind`) or by the link of
/// their first purchase (`order create --via`), under head office's binding rule and lock
/// period (`distributor settings`).
extension Distribution {
    /// Binds a customer to the distributor whose referral code they used; a binding is locked
    /// for the configured lock period (`distributor settings --lock-days`, default 30).
    public func bindCustomer(member: String, referralCode: String) throws(NodeError) -> DistributorView {
        try write(.manageMembers, "distributor.bind") { tx in
            _ = try Members.memberView(member, tx.reader)
            let settings = try Self.distributionSettings(tx.reader)
            guard settings.bindsByCode else {
                throw NodeError(
                    .conflict,
                    "head office binds customers only by first-purchase link (binding rule \(settings.binding))")
            }
            let d = try Self.distributor(byCode: referralCode, tx.reader)
            guard d.status == "active" else {
                throw NodeError(.conflict, "distributor \(d.id) is \(d.status), not active")
            }
            guard d.member != member else { throw NodeError(.invalidInput, "a distributor cannot bind themselves") }
            if let holder = try Self.lockedBinding(member, tx.reader, now: tx.nowMillis), holder != d.id {
                throw NodeError(.conflict, "member \(member) is bound to \(holder) until the lock ends")
            }
            try Self.emitBinding(
                &tx, member: member, distributor: d.id, via: .referralCode, lockDays: settings.lock_days)
            return d
        }
    }

    /// The distributor a member is bound to while the binding's lock lasts.
    static func lockedBinding(_ member: String, _ r: StoreReader, now: Int64) throws -> String? {
        guard let b = try r.register(BindingRegister.self, member), let lock = b.lockUntilMillis, lock > now else {
            return nil
        }
        return b.distributor
    }

    static func emitBinding(
        _ tx: inout LocalTransaction, member: String, distributor: String, via: BindingRegister.Via, lockDays: Int64,
        order: String? = nil
    ) throws {
        let binding = BindingRegister(
            distributor: distributor, boundAtMillis: tx.nowMillis,
            lockUntilMillis: tx.nowMillis + lockDays * 86_400_000, via: via,
            order: order)
        try tx.emit(binding, entity: member, scope: .global)
    }

    /// An order placed through a distributor's link (`order create --via CODE`) binds its
    /// member to that distributor when the rule allows first-purchase binding and the member is
    /// not bound (or their lock has ended). Returns whether it bound.
    static func bindByFirstPurchase(_ tx: inout LocalTransaction, member: String?, code: String, order: String) throws
        -> Bool
    {
        guard let member else {
            throw NodeError(
                .invalidInput, "a purchase through a distributor's link (\(Field.via)) needs \(Field.member)")
        }
        let d = try distributor(byCode: code, tx.reader)
        let settings = try distributionSettings(tx.reader)
        guard settings.bindsByFirstPurchase, d.status == "active", d.member != member,
            try lockedBinding(member, tx.reader, now: tx.nowMillis) == nil
        else { return false }
        try emitBinding(
            &tx, member: member, distributor: d.id, via: .firstPurchase, lockDays: settings.lock_days, order: order)
        return true
    }
}
