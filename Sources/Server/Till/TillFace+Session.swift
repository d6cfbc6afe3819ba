import Hummingbird
import Node

/// Who sells at this till.
extension TillFace {
    /// The node acting as the signed-in cashier.
    /// Interim until the till's PIN login lands: the node's operator (as the CLI without `--as`).
    func cashier(_ request: Request) async throws -> FenxiaoNode {
        node
    }
}
