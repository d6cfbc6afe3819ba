import Commerce
import Replication
import Storage

/// A member as shown by `fenxiao member`.
public struct MemberView: Sendable, Equatable, Codable {
    public var id: String
    public var name: String?
    public var phone: String?
    public var points: Int64
    public var wallet_cents: Int64
    public var registered_at: Int64?
    public var last_login_at: Int64?
    /// The node that registered the member; it and head office hold the contact data below
    /// (nil elsewhere).
    public var home: String?
    public var email: String?
    public var address: String?
    public var birthday: String?

    init(
        id: String, name: String?, phone: String?, points: Int64, wallet_cents: Int64, registered_at: Int64?,
        last_login_at: Int64?, home: String?
    ) {
        (self.id, self.name, self.phone, self.points, self.wallet_cents) = (id, name, phone, points, wallet_cents)
        (self.registered_at, self.last_login_at, self.home) = (registered_at, last_login_at, home)
    }
}

extension Members {
    static func validPhone(_ phone: String) -> Bool {
        (5...20).contains(phone.utf8.count) && phone.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 }
    }

    /// Registers a member or edits their profile (any node; field-level merge). Contact data
    /// (email, address, birthday) is never global: a store keeps its own copy,
    /// `member_contact` `<member>@<store>` in its own scope, which reaches head office and no
    /// other store. Head office's edits go to the member's home (the node that registered them).
    public func upsert(
        id: String, name: String?, phone: String?, region: String? = nil, birthday: String? = nil, optOut: Bool? = nil,
        email: String? = nil, address: String? = nil
    ) throws(NodeError) -> MemberView {
        if let email, !(3...200).contains(email.count) || !email.contains("@") {
            throw NodeError(.invalidInput, "email '\(email)' must look like name@example.com")
        }
        if let address, !(1...500).contains(address.count) {
            throw NodeError(.invalidInput, "address must be 1–500 characters")
        }
        if let birthday, !(birthday.count == 10 || birthday.count == 5) {
            throw NodeError(.invalidInput, "birthday must look like 1990-05-17 or 05-17")
        }
        guard SKUCode(id) != nil else {
            throw NodeError(.invalidInput, "member id '\(id)' must be letters, digits, '-' or '_'")
        }
        if let phone, !Self.validPhone(phone) {
            throw NodeError(.invalidInput, "phone '\(phone)' must be 5–20 digits (with + or -)")
        }
        return try write(.manageMembers, "member.upsert") { tx in
            let existing = try tx.reader.register(MemberRegister.self, id)
            if existing == nil && name == nil {
                throw NodeError(.invalidInput, "a new member needs \(Field.name)")
            }
            if identity.role == .store, let existing, existing.home != identity.node.rawValue, name != nil {
                let home = existing.home ?? "head office"
                throw NodeError(
                    .forbidden,
                    "member \(id) was registered at \(home); only \(home) or head office renames them (a store may update phone, region and opt-out)"
                )
            }
            if let phone, existing?.phone != phone {
                if let other = try tx.reader.claimant(of: "phone:\(phone)"), other != "member:\(id)" {
                    throw NodeError(.conflict, "phone \(phone) already belongs to \(other)")
                }
            }
            var profile = MemberRegister(name: name, phone: phone, region: region, optOut: optOut)
            if existing == nil {
                profile.registeredAtMillis = tx.nowMillis
                profile.home = identity.node.rawValue
            }
            let contact = MemberContactRegister(email: email, address: address, birthday: birthday)
            guard profile != MemberRegister() || !contact.isEmpty else {
                throw NodeError(
                    .invalidInput,
                    "nothing to change; give \(Field.name), \(Field.phone), \(Field.region), \(Field.birthday), \(Field.email), \(Field.address) or \(Field.optOut)"
                )
            }
            if profile != MemberRegister() { try tx.emit(profile, entity: id, scope: .global) }
            if !contact.isEmpty {
                let holder = identity.role == .central ? existing?.homeNode ?? identity.node : identity.node
                try tx.emit(
                    contact, entity: MemberContactRegister.entity(member: id, node: holder), scope: .node(holder))
            }
            return try withContact(Self.memberView(id, tx.flushed()), tx.reader)
        }
    }

    /// The member with the contact data this node shows.
    func withContact(_ view: MemberView, _ r: StoreReader) throws -> MemberView {
        var view = view
        let contact = try contactCopy(view.id, home: view.home.flatMap(NodeID.init), r)
        (view.email, view.address, view.birthday) = (contact?.email, contact?.address, contact?.birthday)
        return view
    }

    /// The contact data this node shows: a store its own copy; head office the home store's
    /// copy, else its own, else any store's (by node id).
    func contactCopy(_ member: String, home: NodeID?, _ r: StoreReader) throws -> MemberContactRegister? {
        typealias Contact = MemberContactRegister
        if identity.role == .store {
            return try r.register(Contact.self, Contact.entity(member: member, node: identity.node))
        }
        for holder in [home, identity.node].compactMap({ $0 }) {
            if let f = try r.register(Contact.self, Contact.entity(member: member, node: holder)) { return f }
        }
        return try r.anyContactCopy(member: member).flatMap { id in try r.register(Contact.self, id) }
    }

    /// The member; `points` are those available at `now` after expiry (the raw ledger balance
    /// when `now` is not given).
    static func memberView(_ id: String, _ r: StoreReader, now: Int64? = nil) throws -> MemberView {
        guard let f = try r.register(MemberRegister.self, id) else {
            throw NodeError(.notFound, "member \(id) is unknown here; check the id or run `fenxiao sync`")
        }
        let points =
            try now.map { try pointsStatus(id, r, now: $0).available } ?? r.balance(member: id, account: "points")
        return MemberView(
            id: id, name: f.name, phone: f.phone, points: points,
            wallet_cents: try r.balance(member: id, account: "wallet"),
            registered_at: f.registeredAtMillis, last_login_at: f.lastLoginAtMillis, home: f.home)
    }

    /// A member; their phone is masked for roles that may not see contact data.
    public func find(_ id: String) throws(NodeError) -> MemberView {
        let now = store.wallNow()
        return try read { r in
            var view = try withContact(Self.memberView(id, r, now: now), r)
            if let me = try actingUser(r), !me.role.permissions.contains(.viewContacts) {
                view.phone = view.phone.map(Role.mask)
                view.email = view.email.map(Role.mask)
                view.address = view.address.map(Role.mask)
            }
            return view
        }
    }

    /// Adds (positive) or spends (negative) points or stored value. Spending checks the balance
    /// this node knows; spending the same balance at two offline stores is caught at merge.
    ///
    /// A top-up (`reason` "topup") records the payment that brought the money in, as the
    /// entry's `ref`: `cash`, or `<method>:<transaction reference>` for card, wallet or QR pay.
    public func ledger(
        member: String, account: MemberLedgerChange.Account, delta: Int64, reason: String,
        payment: PaymentMethod? = nil, paymentReference: String? = nil
    ) throws(NodeError) -> MemberView {
        var topupRef: String?
        if account == .wallet && reason == "topup" && delta > 0 {
            let method = payment ?? .cash
            guard method != .stored else {
                throw NodeError(
                    .invalidInput,
                    "\(Field.payment) must be cash, card, wallet or qrpay (the payment that brought the money in)")
            }
            try Orders.validatePaymentReference(paymentReference)
            if method != .cash && paymentReference == nil {
                throw NodeError(
                    .invalidInput, "a \(method.rawValue) top-up needs \(Field.payRef) (the transaction reference)")
            }
            topupRef = paymentReference.map { "\(method.rawValue):\($0)" } ?? method.rawValue
        }
        guard delta != 0, delta.magnitude <= Limits.maxLedgerDelta else {
            throw NodeError(
                .invalidInput, "amount must be non-zero and at most \(WriteRules.grouped(Limits.maxLedgerDelta))")
        }
        if identity.role == .store && delta < 0 {
            // A store's debits are tied to what they pay for (see `StoreWriteCheck+Debits`).
            throw NodeError(
                .forbidden,
                "spending \(account.rawValue) by hand is head office's: at the counter pay an order with \(Field.payment) stored or redeem \(Field.points), or exchange points for a catalog item"
            )
        }
        if identity.role == .store && delta > 0 {
            // A store's credits are derived by its use cases (see `WriteRules`); central refuses any other.
            guard account == .wallet && reason == "topup" else {
                throw NodeError(
                    .forbidden,
                    "adding \(account.rawValue) by hand is head office's: run it on the central node (a store earns points through sales, check-ins and shares)"
                )
            }
            guard delta <= Limits.maxTopupCents else {
                throw NodeError(.invalidInput, "one top-up is at most \(Money(cents: Limits.maxTopupCents)); split it")
            }
        }
        return try write(.manageMembers, "member.ledger") { tx in
            let view = try Self.memberView(member, tx.reader, now: tx.nowMillis)
            let balance = account == .points ? view.points : view.wallet_cents
            if delta < 0 && balance + delta < 0 {
                throw NodeError(
                    .conflict,
                    "member \(member) has \(balance) \(account == .points ? "points" : "fen") here; cannot spend \(-delta)"
                )
            }
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: account, delta: delta, reason: reason,
                    ref: topupRef),
                entity: tx.newID(account == .points ? "PT" : "WL"), scope: .global)
            if account == .wallet, delta > 0, reason == "topup" {
                let bonus = TopupBonus.bonus(for: delta, tiers: try Self.topupBonuses(tx.reader))
                if bonus > 0 {
                    try tx.emit(
                        MemberLedgerChange(
                            member: member, account: .wallet, delta: bonus, reason: "topup_bonus",
                            ref: nil),
                        entity: tx.newID("WL"), scope: .global)
                }
            }
            return try Self.memberView(member, tx.flushed(), now: tx.nowMillis)
        }
    }
}
