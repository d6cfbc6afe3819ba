import Commerce
import Replication
import Storage

/// A member's address book for the mall (central only, schema 19): recipient, phone and address
/// text, one of them the default. Contact data: kept at central, never replicated.
public enum AddressBookPolicy {
    /// At most this many addresses per member.
    public static let maxAddresses = 20
    public static let maxName = 40
    public static let maxAddress = 200
    public static let minAddress = 5
}

/// One address as a member enters it.
public struct AddressInput: Sendable, Equatable {
    public var name: String
    public var phone: String
    public var address: String

    public init(name: String, phone: String, address: String) {
        (self.name, self.phone, self.address) = (name, phone, address)
    }
}

/// The fields of the address book's requests.
enum AddressField {
    static let recipient: Field = "recipient"
    static let shipPhone: Field = "ship_phone"
    static let shipAddress: Field = "ship_address"
    static let addressID: Field = "address_id"
}

extension Members {
    /// Checks and trims an address (recipient 1–40 characters, phone 5–20 digits, address text
    /// 5–200 characters, no control characters).
    static func checkedAddress(_ input: AddressInput) throws(NodeError) -> AddressInput {
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = input.phone.filter { $0 != " " }
        let address = input.address.trimmingCharacters(in: .whitespacesAndNewlines)
        let noControl = { (s: String) in s.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value != 127 } }
        guard (1...AddressBookPolicy.maxName).contains(name.count), noControl(name) else {
            throw NodeError(
                .invalidInput, "\(AddressField.recipient) must be 1–\(AddressBookPolicy.maxName) characters")
        }
        guard validPhone(phone) else {
            throw NodeError(.invalidInput, "\(AddressField.shipPhone) must be 5–20 digits (with + or -)")
        }
        guard (AddressBookPolicy.minAddress...AddressBookPolicy.maxAddress).contains(address.count), noControl(address)
        else {
            throw NodeError(
                .invalidInput,
                "\(AddressField.shipAddress) must be \(AddressBookPolicy.minAddress)–\(AddressBookPolicy.maxAddress) characters"
            )
        }
        return AddressInput(name: name, phone: phone, address: address)
    }

    /// A member's addresses, the default first.
    func addresses(of member: String) throws(NodeError) -> [MallAddressRow] {
        try requireCentral("the members' mall")
        return try read { r in try r.mallAddresses(member: member) }
    }

    /// Adds an address (`id` nil) or edits one of the member's; the first address, or one asked
    /// to be, becomes the default.
    func saveAddress(of member: String, id: String?, _ input: AddressInput, makeDefault: Bool) throws(NodeError)
        -> MallAddressRow
    {
        try requireCentral("the members' mall")
        let a = try Self.checkedAddress(input)
        return try write { tx in
            let existing = try tx.reader.mallAddresses(member: member)
            var row: MallAddressRow
            if let id {
                guard let old = existing.first(where: { $0.id == id }) else {
                    throw NodeError(.notFound, "\(AddressField.addressID) \(id) is not one of yours")
                }
                row = old
                (row.name, row.phone, row.address) = (a.name, a.phone, a.address)
            } else {
                guard existing.count < AddressBookPolicy.maxAddresses else {
                    throw NodeError(
                        .conflict,
                        "an address book holds at most \(AddressBookPolicy.maxAddresses) addresses; delete one first")
                }
                row = MallAddressRow(
                    id: tx.newID("ADR"), member: member, name: a.name, phone: a.phone, address: a.address,
                    isDefault: existing.isEmpty)
            }
            try tx.putMallAddress(row)
            if makeDefault {
                try tx.setDefaultMallAddress(member: member, id: row.id)
                row.isDefault = true
            }
            return row
        }
    }

    /// Deletes one of the member's addresses; when it was the default, the oldest left becomes it.
    func deleteAddress(of member: String, id: String) throws(NodeError) {
        try requireCentral("the members' mall")
        try write { tx in
            let existing = try tx.reader.mallAddresses(member: member)
            guard let old = existing.first(where: { $0.id == id }) else {
                throw NodeError(.notFound, "\(AddressField.addressID) \(id) is not one of yours")
            }
            try tx.deleteMallAddress(member: member, id: id)
            if old.isDefault, let next = existing.first(where: { $0.id != id }) {
                try tx.setDefaultMallAddress(member: member, id: next.id)
            }
        }
    }

    /// Makes one of the member's addresses the default.
    func setDefaultAddress(of member: String, id: String) throws(NodeError) {
        try requireCentral("the members' mall")
        try write { tx in
            guard try tx.reader.mallAddresses(member: member).contains(where: { $0.id == id }) else {
                throw NodeError(.notFound, "\(AddressField.addressID) \(id) is not one of yours")
            }
            try tx.setDefaultMallAddress(member: member, id: id)
        }
    }

    /// Where a mall order goes (head office ships it): nil for orders not placed in the mall.
    /// The phone is masked for a user without `view_contacts`.
    public func shipTo(order: String) throws(NodeError) -> MallShipToRow? {
        try read { r in
            guard var row = try r.mallShipTo(order: order) else { return nil }
            if let (_, role) = try actingUser(r), !role.permissions.contains(.viewContacts) {
                row.phone = Role.mask(row.phone)
            }
            return row
        }
    }
}
