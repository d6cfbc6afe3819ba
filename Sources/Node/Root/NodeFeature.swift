import Commerce
import Replication
import Storage

/// A feature of the node (`node.orders`, `node.members`…): a small value holding the node.
///
/// The feature's use cases run through the root's shared plumbing, forwarded here so their
/// bodies read the same in every feature: ``FenxiaoNode/read(_:)``, the write that checks every
/// change against the write rules, the permission-checked read and write with their audit entry,
/// `requireCentral`, and head office's settings.
protocol NodeFeature: Sendable {
    var node: FenxiaoNode { get }
}

extension NodeFeature {
    var store: NodeStore { node.store }
    var identity: NodeIdentity { node.identity }
    var actor: String? { node.actor }

    func write<T>(_ body: (inout LocalTransaction) throws -> T) throws(NodeError) -> T {
        try node.write(body)
    }

    func write<T>(
        _ permission: Permission, _ action: String, subject: String? = nil, _ body: (inout LocalTransaction) throws -> T
    ) throws(NodeError) -> T {
        try node.write(permission, action, subject: subject, body)
    }

    func read<T>(_ body: (StoreReader) throws -> T) throws(NodeError) -> T {
        try node.read(body)
    }

    func read<T>(_ permission: Permission, _ body: (StoreReader) throws -> T) throws(NodeError) -> T {
        try node.read(permission, body)
    }

    @discardableResult
    func check(_ permission: Permission, amount: Int64? = nil, _ r: StoreReader) throws -> String? {
        try node.check(permission, amount: amount, r)
    }

    func actingUser(_ r: StoreReader) throws -> (id: String, role: Role)? {
        try node.actingUser(r)
    }

    func audit(_ tx: inout LocalTransaction, user: String, action: String, subject: String?) throws {
        try node.audit(&tx, user: user, action: action, subject: subject)
    }

    func requireCentral(_ what: String) throws(NodeError) {
        try node.requireCentral(what)
    }

    func saveSettings<P: SettingPayload>(
        _ patch: P, permission: Permission, completing complete: ((LocalTransaction, inout P) throws -> Void)? = nil
    ) throws(NodeError) {
        try node.saveSettings(patch, permission: permission, completing: complete)
    }

    func dayOffsetMillis() throws(NodeError) -> Int64 {
        try node.dayOffsetMillis()
    }
}
