import Replication

/// A change as a shared log holds it: its position (the same at every server) and the record.
public struct PositionedChange: Sendable, Equatable {
    public var position: Int64
    public var change: ChangeRecord

    public init(position: Int64, change: ChangeRecord) {
        self.position = position
        self.change = change
    }
}

/// An enrolled node's row as every central server shares it (the `peers` table's columns).
public struct SharedPeer: Sendable, Equatable {
    public var node: String
    /// `sha256-hex:role`, as in `peers.token_hash`.
    public var tokenHash: String
    public var revoked: Bool
    public var ackedSeq: Int64
    public var lastPush: Int64?
    public var lastPull: Int64?
    public var pullCursor: Int64
    public var enrolledAt: Int64
    public var stableHLC: Int64
    public var retiredAt: Int64?
    public var durableSeq: Int64
    /// Raised by the shared database on every change of the row (refreshes read after it).
    public var version: Int64

    public init(
        node: String, tokenHash: String, revoked: Bool, ackedSeq: Int64, lastPush: Int64?, lastPull: Int64?,
        pullCursor: Int64, enrolledAt: Int64, stableHLC: Int64, retiredAt: Int64?, durableSeq: Int64, version: Int64
    ) {
        self.node = node
        self.tokenHash = tokenHash
        self.revoked = revoked
        self.ackedSeq = ackedSeq
        self.lastPush = lastPush
        self.lastPull = lastPull
        self.pullCursor = pullCursor
        self.enrolledAt = enrolledAt
        self.stableHLC = stableHLC
        self.retiredAt = retiredAt
        self.durableSeq = durableSeq
        self.version = version
    }
}

/// The change log several central servers share (docs/POSTGRES.md), seen from one server.
///
/// Each server keeps its own SQLite file as a *replica* of the shared log: the same changes at
/// the same positions, applied by the same ``ChangeApplier``, so every derived row, conflict and
/// state hash is the one a single central would hold. Every write transaction at the server
/// (a push, a head-office change, housekeeping) runs holding the shared head's lock: it first
/// applies what other servers appended, then writes as a single central would, then publishes
/// its new changes at the positions its replica gave them, and the shared transaction commits
/// before the SQLite one. A server that crashes between the two commits finds its own changes
/// in the shared log and applies them like any other server's.
public protocol SharedLog: AnyObject, Sendable {
    /// Where the log lives, for messages (never with a password).
    var location: String { get }
    /// Runs `body` holding the head's lock, in one shared transaction that commits when `body`
    /// returns and rolls back when it throws; `body` gets the head position.
    func locked<T>(_ body: (Int64) throws -> T) throws -> T
    /// The head position (the last one handed out), read without the lock.
    func head() throws -> Int64
    /// Committed changes after `position`, in position order, at most `limit`.
    func changes(after position: Int64, limit: Int) throws -> [PositionedChange]
    /// Appends changes at their positions, each following the head (inside ``locked(_:)``).
    func publish(_ changes: [PositionedChange]) throws
    /// Records a node's enrollment (token, revoked, retired): the last writer wins.
    func publishEnrollment(_ peer: SharedPeer) throws
    /// Raises a node's sync progress (acked seq, pull cursor, promise, durable seq, times):
    /// each kept as the highest any server saw.
    func publishProgress(_ peer: SharedPeer) throws
    /// Peers whose shared row changed after `version`.
    func peers(changedAfter version: Int64) throws -> [SharedPeer]
    /// Records central's epoch bookkeeping (sync/PROTOCOL.md §8.6) for every server; the last
    /// writer wins per key.
    func publishMeta(_ values: [String: String]) throws
    /// The bookkeeping keys changed after `version`, and the highest version among them.
    func meta(changedAfter version: Int64) throws -> (values: [String: String], version: Int64)
    /// Whether this server is the one that runs central's housekeeping (expiry of unpaid
    /// orders, birthday gifts, automatic approvals): the first to ask holds it until its
    /// connection ends, then another server takes over.
    func holdsHousekeeping() throws -> Bool
    /// The chain's creation time (its identity in `hello`): `proposed` when this is the first
    /// server, the first server's otherwise.
    func chainCreatedAt(proposing proposed: Int64) throws -> Int64
}
