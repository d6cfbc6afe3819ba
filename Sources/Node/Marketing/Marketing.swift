/// Marketing: promotions, coupons and their distribution to members, and campaign messages.
///
/// A small value holding the node; its use cases are `extension Marketing` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Marketing: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The marketing feature (see ``Marketing``).
    public var marketing: Marketing { Marketing(node: self) }
}
