import Commerce

/// One distributor in a downline (``Distribution/tree(_:)``): `depth` 0 is the distributor
/// asked about, 1 those they invited, and so on.
public struct DownlineEntry: Sendable, Equatable, Codable {
    public var distributor: String
    /// Nil when the register has none (a half-merged record).
    public var status: DistributorRegister.Status?
    public var depth: Int

    public init(distributor: String, status: DistributorRegister.Status?, depth: Int) {
        self.distributor = distributor
        self.status = status
        self.depth = depth
    }
}
