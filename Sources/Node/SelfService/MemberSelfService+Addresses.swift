import Commerce
import Replication
import Storage

/// The member's own address book (``Members`` keeps it at central; contact data, never replicated).
extension MemberSelfService {
    /// The member's addresses, the default first.
    public func addresses() throws(NodeError) -> [MallAddressRow] {
        try node.members.addresses(of: member)
    }

    /// Adds an address (at most 20); the first one becomes the default.
    public func addAddress(_ input: AddressInput, makeDefault: Bool = false) throws(NodeError) -> MallAddressRow {
        try node.members.saveAddress(of: member, id: nil, input, makeDefault: makeDefault)
    }

    /// Edits one of the member's addresses (someone else's is not found).
    public func editAddress(id: String, _ input: AddressInput, makeDefault: Bool = false) throws(NodeError)
        -> MallAddressRow
    {
        try node.members.saveAddress(of: member, id: id, input, makeDefault: makeDefault)
    }

    /// Deletes one of the member's addresses.
    public func deleteAddress(id: String) throws(NodeError) {
        try node.members.deleteAddress(of: member, id: id)
    }

    /// Makes one of the member's addresses the default.
    public func setDefaultAddress(id: String) throws(NodeError) {
        try node.members.setDefaultAddress(of: member, id: id)
    }
}
