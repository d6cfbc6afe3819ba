/// The catalog: SKUs, prices (now or from an instant), shelf status, products with specs and
/// categories.
///
/// A small value holding the node; its use cases are `extension Catalog` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Catalog: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The catalog feature (see ``Catalog``).
    public var catalog: Catalog { Catalog(node: self) }
}
