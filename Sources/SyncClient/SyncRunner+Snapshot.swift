import Foundation
import Node
import Replication
import Storage

extension SyncRunner {
    /// A blank store's first sync: loads central's snapshot of its scopes, so the pull that
    /// follows starts after it (docs/STABILITY.md, sync/PROTOCOL.md §8.9); `withOwnChanges`
    /// when it lost its file and central holds changes of it. Returns nil when central has no
    /// snapshot route (an older central): the store then pulls everything.
    func bootstrapFromSnapshot(withOwnChanges: Bool) throws(NodeError) -> SnapshotManifest? {
        let result: HTTPResult
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            result = try http.request(
                method: "GET", url: link.url + "/v1/sync/snapshot" + (withOwnChanges ? "?own=1" : ""),
                headers: headers)
        } catch {
            throw NodeError(
                .storage, message: "cannot fetch the snapshot from central: \(error); run `fenxiao sync` again")
        }
        readCentralClock(result)
        if result.status == 404 && !withOwnChanges { return nil }
        guard result.status == 200 else {
            switch Self.classify(result) {
            case .transientError(let message), .permanentError(let message):
                throw NodeError(.storage, message: "the snapshot failed: \(message)")
            default:
                throw NodeError(.storage, message: "the snapshot failed: HTTP \(result.status)")
            }
        }
        let fetched = DispatchTime.now().uptimeNanoseconds
        let manifest = try node.sync.loadSnapshot(Data(result.body))
        snapshotSeconds = (
            Double(fetched - started) / 1e9, Double(DispatchTime.now().uptimeNanoseconds - fetched) / 1e9
        )
        return manifest
    }
}
