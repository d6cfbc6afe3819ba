/// Sync as an operator sees it: conflicts and their resolution, the node's status, and quarantined
/// changes. The wire protocol's endpoints (`acceptPush`, `servePull`, `hello`…) stay on the root, in
/// `Sources/Node/Sync/`.
///
/// A small value holding the node; its use cases are `extension Sync` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Sync: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The sync feature as an operator sees it (see ``Sync``).
    public var sync: Sync { Sync(node: self) }
}
