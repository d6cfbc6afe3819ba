/// Sync: conflicts and their resolution, the node's status, quarantined changes, and central's
/// protocol endpoints (`enroll`, `authenticate`, `acceptPush`, `servePull`, `hello`, `acceptReturn`…)
/// that the server and the sync client call. The write rules and push checks beside them in
/// `Sources/Node/Sync/` are plumbing those endpoints and the root's `write` use.
///
/// A small value holding the node; its use cases are `extension Sync` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Sync: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The sync feature (see ``Sync``).
    public var sync: Sync { Sync(node: self) }
}
