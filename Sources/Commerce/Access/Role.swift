/// What a user may do. Every CLI/API action runs as a user and is checked against their role.
public enum Permission: String, Sendable, Codable, CaseIterable {
    case sell, refund, manageStock = "manage_stock", manageMembers = "manage_members", viewContacts = "view_contacts"
    case manageCatalog = "manage_catalog", changePrices = "change_prices", marketing
    case approveDistributors = "approve_distributors", approveWithdrawals = "approve_withdrawals"
    case seeReports = "see_reports", resolveConflicts = "resolve_conflicts", manageUsers = "manage_users"
    case distribute
    /// Enrol and revoke tills, set other staff's PINs at the node (the till).
    case manageTill = "manage_till"
}

/// The roles of a distribution mall: customers and distributors, store staff, head office.
public enum Role: String, Sendable, Codable, CaseIterable {
    case consumer, distributor, cashier
    case storeManager = "store_manager"
    case hqStaff = "hq_staff"
    case admin
    /// Head office's finance clerk: withdrawals and reports, not prices, catalog or contacts.
    case finance

    public var permissions: Set<Permission> {
        switch self {
        case .consumer: return []
        case .distributor: return [.distribute]
        case .cashier: return [.sell, .refund, .manageMembers, .manageStock]
        case .storeManager:
            return [
                .sell, .refund, .manageMembers, .manageStock, .viewContacts, .seeReports, .resolveConflicts,
                .manageTill,
            ]
        case .hqStaff:
            return [
                .sell, .refund, .manageMembers, .manageStock, .viewContacts, .seeReports, .resolveConflicts,
                .manageCatalog, .changePrices, .marketing, .approveDistributors, .manageTill,
            ]
        case .admin: return Set(Permission.allCases)
        case .finance: return [.approveWithdrawals, .seeReports]
        }
    }

    /// The largest refund this role may give on its own, in fen (nil = no limit).
    public var refundLimitCents: Int64? {
        switch self {
        case .cashier: return 20_000
        case .storeManager: return 500_000
        case .hqStaff, .admin: return nil
        case .consumer, .distributor, .finance: return 0
        }
    }

    /// Checks a permission (and, for refunds, the amount); the error names the role and what
    /// to do.
    public func check(_ permission: Permission, user: String, amountCents: Int64? = nil) throws(CommerceError) {
        guard permissions.contains(permission) else {
            throw CommerceError(
                .notAllowed,
                "user \(user) (\(rawValue)) may not \(String(permission.rawValue.map { $0 == "_" ? " " : $0 })); ask a user whose role allows it"
            )
        }
        if permission == .refund, let amountCents, let limit = refundLimitCents, amountCents > limit {
            throw CommerceError(
                .notAllowed,
                "user \(user) (\(rawValue)) may refund up to \(Money(cents: limit)); \(Money(cents: amountCents)) needs a store manager or head office"
            )
        }
    }

    /// Masks contact data for roles that may not see it: `138****0001`.
    public static func mask(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + "****" + String(chars.suffix(4))
    }
}
