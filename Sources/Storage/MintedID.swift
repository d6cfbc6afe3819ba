import Synchronization

/// The text of a minted id, `PREFIX-NODE-<hlc in base 36><4 random base-36 digits>`
/// (``LocalTransaction/newID(_:)``), written in one pass.
///
/// The tail's randomness comes from a SplitMix64 stream seeded once per process from the
/// system's generator: `UInt32.random` asked the kernel (`getrandom(2)`) for every id, and the
/// id was built from five intermediate strings — together ~2 % of a sale. The tail only has
/// to differ between the lives of a store (a restore restarts its clock behind its earlier
/// ids), which a per-process seed gives.
enum MintedID {
    /// The number of tails: four base-36 digits.
    static let tails: UInt64 = 1_679_616

    private static let state = Mutex<UInt64>(UInt64.random(in: .min ... .max))

    /// The next random tail, below ``tails``.
    static func nextTail() -> UInt32 {
        var z = state.withLock { s -> UInt64 in
            s &+= 0x9E37_79B9_7F4A_7C15
            return s
        }
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32((z ^ (z >> 31)) % tails)
    }

    private static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// `prefix-node-` then `stamp` in base 36 (upper case), then `tail` as four base-36 digits.
    static func text(prefix: String, node: String, stamp: Int64, tail: UInt32) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.utf8.count + node.utf8.count + 20)
        bytes.append(contentsOf: prefix.utf8)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(contentsOf: node.utf8)
        bytes.append(UInt8(ascii: "-"))
        if stamp < 0 { bytes.append(UInt8(ascii: "-")) }
        var value = stamp.magnitude
        let start = bytes.count
        repeat {
            bytes.append(digits[Int(value % 36)])
            value /= 36
        } while value > 0
        bytes[start...].reverse()
        var rest = tail
        let tailStart = bytes.count
        bytes.append(contentsOf: repeatElement(digits[0], count: 4))
        for i in stride(from: tailStart + 3, through: tailStart, by: -1) {
            bytes[i] = digits[Int(rest % 36)]
            rest /= 36
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
