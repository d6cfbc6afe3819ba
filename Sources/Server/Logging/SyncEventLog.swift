import Logging
import Node
import Replication

/// The log line of each push and pull central serves: the store, how many changes, how many
/// new conflicts (push) and how long the use case took, beside the request's own line.
enum SyncEventLog {
    static func push(
        _ store: NodeID, received: Int, _ response: SyncWire.PushResponse, took: Duration, _ logger: Logger
    ) {
        logger.info(
            "push",
            metadata: [
                "store": .string(store.rawValue), "changes": .stringConvertible(received),
                "applied": .stringConvertible(response.applied), "duplicates": .stringConvertible(response.duplicates),
                "conflicts": .stringConvertible(response.conflicts_new), "duration_ms": .stringConvertible(took.millis),
            ])
    }

    static func pull(_ store: NodeID, changes: Int, more: Bool, took: Duration, _ logger: Logger) {
        logger.info(
            "pull",
            metadata: [
                "store": .string(store.rawValue), "changes": .stringConvertible(changes),
                "more": .stringConvertible(more), "duration_ms": .stringConvertible(took.millis),
            ])
    }
}

extension Duration {
    /// Milliseconds with one decimal, as log lines and metrics show durations.
    var millis: Double {
        let ms = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return (ms * 10).rounded() / 10
    }
}
