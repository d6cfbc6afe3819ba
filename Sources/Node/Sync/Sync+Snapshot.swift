import Foundation
import Replication
import Storage

/// Snapshot bootstrap (docs/STABILITY.md, sync/PROTOCOL.md §8.9): a new store joins from a
/// consistent copy of its scopes at central plus the changes after it, instead of pulling and
/// applying every change since the chain's first day.
extension Sync {
    /// Central: the snapshot of `store`'s scopes as the bytes of an SQLite file, with its
    /// manifest. Made in a temporary folder beside central's file, removed before returning.
    /// `withOwnChanges`: for a store that lost its file (its own changes come back in the log);
    /// without it, a store central holds changes of is refused (409).
    public func snapshot(for store: NodeID, withOwnChanges: Bool = false) throws(NodeError) -> (
        bytes: Data, manifest: SnapshotManifest
    ) {
        try requireCentral("making snapshots")
        let folder = (self.store.directory as NSString).appendingPathComponent(
            "snapshot-\(store.rawValue)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let made = try self.store.writeSnapshot(for: store, into: folder, withOwnChanges: withOwnChanges)
            return (try Data(contentsOf: URL(fileURLWithPath: made.file)), made.manifest)
        } catch let e as StorageError {
            throw NodeError.wrap(e)
        } catch {
            throw NodeError(.storage, message: "cannot read the snapshot it made: \(error)")
        }
    }

    /// A store: whether it is blank (nothing in its log, nothing pulled) and may start from a snapshot.
    public func canLoadSnapshot() throws(NodeError) -> Bool {
        do { return try store.canLoadSnapshot() } catch { throw NodeError.wrap(error) }
    }

    /// A store: loads a snapshot central made for it (`bytes`, an SQLite file), in one
    /// transaction checked against the snapshot's state hash; its next pull starts after it.
    public func loadSnapshot(_ bytes: Data) throws(NodeError) -> SnapshotManifest {
        guard identity.role == .store else {
            throw NodeError(.wrongRole, "a snapshot is loaded by a store; central makes them")
        }
        let folder = (store.directory as NSString).appendingPathComponent("snapshot-in-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let file = (folder as NSString).appendingPathComponent("snapshot.db")
            guard FileManager.default.createFile(atPath: file, contents: bytes, attributes: [.posixPermissions: 0o600])
            else { throw NodeError(.storage, message: "cannot write the snapshot to \(file)") }
            return try store.loadSnapshot(from: file)
        } catch let e as NodeError {
            throw e
        } catch {
            throw NodeError.wrap(error)
        }
    }
}
