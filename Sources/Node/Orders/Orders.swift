/// Orders: the sale at the counter and online, the order lifecycle (pay, ship, complete, cancel),
/// refunds and refund requests, pricing quotes and the shipping fee.
///
/// A small value holding the node; its use cases are `extension Orders` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Orders: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The orders feature (see ``Orders``).
    public var orders: Orders { Orders(node: self) }
}
