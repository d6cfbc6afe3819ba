extension SyncWire {
    /// `GET /v1/sync/hello` answer: where central stands for the asking store, read before every
    /// sync so that restores on either side are noticed before anything is pushed or pulled
    /// (sync/PROTOCOL.md §8.6).
    public struct Hello: Codable, Sendable, Equatable {
        /// The chain central belongs to (fixed at central's `init`, carried by its backups).
        public var chain: String
        /// Central's epoch: 1, plus one per restore of central from a backup.
        public var epoch: Int64
        /// The highest seq of the asking store central holds.
        public var acked_seq: Int64
        /// The end of central's change log (the highest cursor it can issue today).
        public var log_end: Int64
        /// The last restore of central, when there was one.
        public var restore: Restore?
        /// Central's stability frontier (`HLC.rawValue`, §8.8): no new change stamped at or
        /// below it is accepted; the store moves its clock past it. Absent from older centrals.
        public var frontier: Int64?
        /// The asking store's own last promise as central holds it: its clock moves past it too
        /// (a store restored from an old copy must not stamp below what it promised).
        public var stable_hlc: Int64?
        /// The highest seq of the asking store that central's latest backup holds: the store
        /// may drop its own changes up to it from its log (docs/STABILITY.md).
        public var durable_seq: Int64?
        /// The highest of central's own seqs that its latest backup holds: the store may drop
        /// central's changes up to it from its log (docs/STABILITY.md). Absent from older centrals.
        public var central_durable_seq: Int64?

        public init(
            chain: String, epoch: Int64, acked_seq: Int64, log_end: Int64, restore: Restore?,
            frontier: Int64? = nil, stable_hlc: Int64? = nil, durable_seq: Int64? = nil,
            central_durable_seq: Int64? = nil
        ) {
            self.chain = chain
            self.epoch = epoch
            self.acked_seq = acked_seq
            self.log_end = log_end
            self.restore = restore
            self.frontier = frontier
            self.stable_hlc = stable_hlc
            self.durable_seq = durable_seq
            self.central_durable_seq = central_durable_seq
        }
    }

    /// What a store needs to know about central's last restore.
    public struct Restore: Codable, Sendable, Equatable {
        /// Log positions up to this one are the same changes as before the restore.
        public var base_pos: Int64
        /// Central's own changes above this seq were lost; stores give back those they hold.
        public var central_seq: Int64
        /// Central authors above this seq since the restore (never reused).
        public var own_seq_floor: Int64
        /// Stores central still waits for; a sync is not converged while this is not empty.
        public var waiting: [String]

        public init(base_pos: Int64, central_seq: Int64, own_seq_floor: Int64, waiting: [String]) {
            self.base_pos = base_pos
            self.central_seq = central_seq
            self.own_seq_floor = own_seq_floor
            self.waiting = waiting
        }
    }

    /// `POST /v1/sync/return?own_seq=N` answer.
    public struct ReturnResponse: Codable, Sendable, Equatable {
        public var applied: Int
        public var duplicates: Int
        public var waiting: [String]

        public init(applied: Int, duplicates: Int, waiting: [String]) {
            self.applied = applied
            self.duplicates = duplicates
            self.waiting = waiting
        }
    }
}
