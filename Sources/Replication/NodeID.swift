/// The name of a node (a store or the central node), unique within a chain.
///
/// Node ids appear in every change record as its origin, so they are short, stable and
/// restricted to `[A-Za-z0-9_-]` (1–32 characters) to stay safe in URLs, file names and logs.
public struct NodeID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Creates a node id, or returns nil when `rawValue` is empty, too long or has other characters.
    public init?(_ rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= 32,
            rawValue.utf8.allSatisfy({ NodeID.allowed($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// The central node's fixed id.
    public static let central = NodeID(unchecked: "central")

    init(unchecked: String) { self.rawValue = unchecked }

    static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default: return false
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = NodeID(raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid node id '\(raw)'"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
