import Replication
import Storage

/// The release of this binary (`fenxiao --version`, the `listening` log line).
let fenxiaoVersion = "0.9.0"

/// `fenxiao --version`: the release, the database schema it writes and the sync protocol it
/// speaks — what decides whether a store and central can sync (`version mismatch` otherwise).
let fenxiaoVersionLine =
    "fenxiao \(fenxiaoVersion) (schema \(NodeSchema.version), sync protocol \(SyncWire.protocolVersion))"
