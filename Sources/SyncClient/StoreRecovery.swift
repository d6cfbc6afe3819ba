import Foundation
import Node
import Replication
import Storage

/// `fenxiao recover`: a store restored from an old copy must not reuse sequence numbers for
/// different changes. Central still holds every change the store had acknowledged; recovery
/// fetches them back, keeps every change the store received from others, and re-issues the
/// changes the store wrote after the restore (whose seqs collide) under new seqs — so nothing
/// is lost and nothing is duplicated. The old file is kept next to the new one.
public struct StoreRecovery {
    public struct Summary: Sendable, Encodable {
        public var recovered: Int
        public var reissued: Int
        public var central_seq: Int64
        public var backup: String
    }

    let node: FenxiaoNode
    let link: CentralLink

    public init(node: FenxiaoNode, link: CentralLink) {
        self.node = node
        self.link = link
    }

    public func run() throws -> Summary {
        guard node.identity.role == .store else { throw NodeError(.wrongRole, "`fenxiao recover` runs on a store") }
        let me = node.identity.node
        let http = try CurlHTTPClient(connectTimeoutMillis: 3000, totalTimeoutMillis: 60_000)
        let headers = [
            "Authorization": "Bearer \(link.token)", SyncWire.protocolHeader: String(SyncWire.protocolVersion),
            SyncWire.schemaHeader: String(NodeSchema.version),
        ]
        // 1. Every own change central holds.
        var central: [ChangeRecord] = []
        var after: Int64 = 0
        while true {
            let r: HTTPResult
            do {
                r = try http.request(
                    method: "GET", url: link.url + "/v1/sync/own?after=\(after)&limit=1000", headers: headers)
            } catch {
                throw NodeError(
                    .storage, "central unreachable (\(error)); recovery needs central — try again when the link is back"
                )
            }
            guard r.status == 200 else {
                throw NodeError(.storage, "central refused the recovery (\(r.status)): \(r.text)")
            }
            let page = try ChangeRecord.decodePullPage(r.body)
            central += page.changes
            after = Int64(page.cursor) ?? after
            if !page.more || page.changes.isEmpty { break }
        }
        let centralSeq = central.last?.seq ?? 0
        // Central's frontier and this store's last promise: re-issued changes go above both
        // (central refuses a new change at or below its frontier, §8.8).
        // Only a central without `hello` (404: before §8.6) has no frontier to go above; any other
        // failure stops here, before anything is re-issued with stamps that might be too low.
        let hello: SyncWire.Hello?
        do {
            let r = try http.request(method: "GET", url: link.url + "/v1/sync/hello", headers: headers)
            switch r.status {
            case 200:
                guard let decoded = try? JSONDecoder().decode(SyncWire.Hello.self, from: Data(r.body)) else {
                    throw NodeError(
                        .storage, "central sent an unreadable hello; nothing was changed — try the recovery again")
                }
                hello = decoded
            case 404: hello = nil
            default:
                throw NodeError(
                    .storage, "central answered hello with \(r.status) (\(r.text)); nothing was changed — try again")
            }
        } catch let e as NodeError {
            throw e
        } catch {
            throw NodeError(
                .storage, "central unreachable (\(error)); recovery needs central — try again when the link is back")
        }
        let floor = HLC(rawValue: max(hello?.frontier ?? 0, hello?.stable_hlc ?? 0))
        // 2. What this copy holds, and where it diverged from central.
        let (local, foreign, meta, compacted) = try node.read { r in
            (
                try r.changes(of: me, after: 0, limit: 10_000_000),
                try r.changes().filter { $0.origin != me },
                try [
                    "central_url", "token", "pull_cursor", "operator", "central_chain", "central_epoch",
                    "log_keep_days",
                ]
                .compactMap { k in try r.meta(k).map { (k, $0) } },
                !(try r.compactedSeqs().isEmpty)
            )
        }
        let centralBySeq = Dictionary(uniqueKeysWithValues: central.map { ($0.seq, $0) })
        let firstDiverged = local.first { c in centralBySeq[c.seq].map { $0 != c } ?? false }?.seq
        let reissue = local.filter { c in
            if let d = firstDiverged, c.seq >= d { return true }
            return c.seq > centralSeq  // written after everything central knows: keep, renumbered after it
        }
        // 3. Build the recovered node next to the old one.
        let directory = node.store.directory
        let fresh = directory + "/recover-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: fresh)
        do {
            let rebuilt = try NodeStore.create(directory: fresh, identity: node.identity)
            _ = try rebuilt.applyRemote(foreign)
            _ = try rebuilt.applyRemote(central)
            if floor > .zero { try rebuilt.observeClock(floor) }
            for c in reissue {
                _ = try rebuilt.write { tx in
                    try tx.emit(c.kind, entity: c.entity, op: c.op, fields: c.fields, scope: c.scope)
                }
            }
            // A compacted log no longer holds every change received: pull them all again
            // (pulls are idempotent; what is held already counts as a duplicate).
            var carried = Dictionary(uniqueKeysWithValues: meta).merging(["acked_seq": String(centralSeq)]) { $1 }
            if compacted { carried["pull_cursor"] = "0" }
            try rebuilt.setMeta(carried)
            try rebuilt.checkpoint()
        }
        // 4. Swap files; keep the old one.
        try node.store.checkpoint()
        let stamp = Int64(Date().timeIntervalSince1970)
        let file = directory + "/" + NodeDatabase.fileName
        let backup = file + ".before-recover-\(stamp)"
        let fm = FileManager.default
        try fm.moveItem(atPath: file, toPath: backup)
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: file + suffix) }
        try fm.moveItem(atPath: fresh + "/" + NodeDatabase.fileName, toPath: file)
        try? fm.removeItem(atPath: fresh)
        return Summary(recovered: central.count, reissued: reissue.count, central_seq: centralSeq, backup: backup)
    }
}
