import Foundation
import Replication
import Storage

/// This store's clock against central's, measured from the answer headers of a sync.
public struct ClockReading: Sendable, Equatable, Codable {
    /// This store's wall clock minus central's (ms): positive when this store is fast.
    public var offsetMillis: Int64
    /// Central's maximum clock offset (ms).
    public var maxOffsetMillis: Int64

    /// Whether this store's clock is further off than central accepts.
    public var beyondBound: Bool { offsetMillis.magnitude > maxOffsetMillis.magnitude }

    /// The warning a store's operator sees when the clock is beyond the bound, else nil.
    public var warning: String? {
        guard beyondBound else { return nil }
        return "this computer's clock is \(ClockOffset.describe(offsetMillis)) of central's "
            + "(more than \(maxOffsetMillis / 60_000) min): set the date and time right. Its sales are kept, "
            + "but its edits are dated by when central receives them and cannot win by their clock"
    }
}

extension SyncRunner {
    /// Reads central's wall clock from an answer and, once per sync, records the offset
    /// (and central's bound) so this node's clock follows central within the bound.
    func readCentralClock(_ result: HTTPResult) {
        guard clockReading == nil,
            let text = result.headers[SyncWire.wallClockHeader.lowercased()], let centralWall = Int64(text)
        else { return }
        let bound = result.headers[SyncWire.maxOffsetHeader.lowercased()].flatMap { Int64($0) }
        guard
            let centralMinusMine = try? node.store.recordCentralClock(
                centralWallMillis: centralWall, maxOffsetMillis: bound)
        else { return }
        clockReading = ClockReading(
            offsetMillis: -centralMinusMine, maxOffsetMillis: bound ?? ClockBound.defaultMaxOffsetMillis)
    }
}
