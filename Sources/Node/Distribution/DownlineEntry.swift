/// One distributor in a downline (``Distribution/tree(_:)``): `depth` 0 is the distributor
/// asked about, 1 those they invited, and so on.
public struct DownlineEntry: Sendable, Equatable, Codable {
    public var distributor: String
    public var status: String
    public var depth: Int

    public init(distributor: String, status: String, depth: Int) {
        self.distributor = distributor
        self.status = status
        self.depth = depth
    }
}
