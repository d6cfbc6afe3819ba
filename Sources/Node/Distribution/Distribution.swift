/// Distribution (分销): distributors and their applications, customer bindings, commission rules and
/// accounts, commission reports, distributor groups, withdrawals and the distribution settings.
///
/// A small value holding the node; its use cases are `extension Distribution` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Distribution: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The distribution feature (see ``Distribution``).
    public var distribution: Distribution { Distribution(node: self) }
}
