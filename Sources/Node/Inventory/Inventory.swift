/// Inventory: stock movements and levels, warehouses, transfers between warehouses, deliveries received
/// in bulk, and low-stock alerts.
///
/// A small value holding the node; its use cases are `extension Inventory` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Inventory: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The inventory feature (see ``Inventory``).
    public var inventory: Inventory { Inventory(node: self) }
}
