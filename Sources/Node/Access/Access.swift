/// Access: users and their roles, user logins, the node's operator and the audit log. The permission
/// check every use case runs is the root's plumbing (`FenxiaoNode+Permissions.swift`).
///
/// A small value holding the node; its use cases are `extension Access` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Access: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The access feature (see ``Access``).
    public var access: Access { Access(node: self) }
}
