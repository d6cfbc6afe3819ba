/// Members: profiles and contact data, points and stored value (top-ups), check-ins, levels, rule-based
/// groups, birthdays, logins, and the points and top-up settings.
///
/// A small value holding the node; its use cases are `extension Members` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Members: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The members feature (see ``Members``).
    public var members: Members { Members(node: self) }
}
