/// Reports: sales per period, best sellers and the top-up report, from the data this node holds.
///
/// A small value holding the node; its use cases are `extension Reports` methods in this folder,
/// one concept per file. It reaches other features only through their types (`node.members`…).
public struct Reports: NodeFeature {
    let node: FenxiaoNode
}

extension FenxiaoNode {
    /// The reports feature (see ``Reports``).
    public var reports: Reports { Reports(node: self) }
}
