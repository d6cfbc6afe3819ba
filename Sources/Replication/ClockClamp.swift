/// Central's dating of a register write whose stamp was beyond the clock bound when it
/// arrived (sync/PROTOCOL.md §3.2).
///
/// When central accepts a register write stamped more than the maximum offset ahead of its
/// own wall clock, it keeps the write unchanged (the store's change is immutable) and, in the
/// same transaction, writes a `clock_clamp` change of its own: entity `<origin>/<seq>` of the
/// write, fields `of_kind` / `of_entity` naming the register, `offset_ms` for the operator.
/// The clamp's own stamp is central's clock at arrival. Every node then orders that write by
/// `min(write hlc, clamp hlc)` — a pure function of the replicated changes, so every node
/// reaches the same winner whatever its own wall clock says.
public enum ClockClamp {
    /// Effective hlc per clamped change id (`origin/seq`); the lowest clamp wins if several.
    public typealias Table = [String: HLC]

    /// The clamps among `changes` (other changes are ignored), as a table.
    public static func table(_ changes: [ChangeRecord]) -> Table {
        var table: Table = [:]
        for c in changes where c.kind == .clockClamp {
            if let held = table[c.entity], held <= c.hlc { continue }
            table[c.entity] = c.hlc
        }
        return table
    }

    /// The stamp a register write competes with: its own, or lowered to its clamp's hlc.
    public static func effectiveStamp(of write: ChangeRecord, clamps: Table) -> ChangeStamp {
        guard let clamp = clamps[write.stamp.changeID], clamp < write.hlc else { return write.stamp }
        return ChangeStamp(hlc: clamp, origin: write.origin, seq: write.seq)
    }

    /// The clamp central writes for `write`, which arrived `offsetMillis` ahead.
    public static func change(for write: ChangeRecord, offsetMillis: Int64) -> ClockClampChange {
        ClockClampChange(ofKind: write.kind, ofEntity: write.entity, offsetMillis: offsetMillis)
    }
}

/// The `clock_clamp` record central writes for a register write stamped beyond the clock
/// bound: which register it dates, and by how much the write was ahead (for the operator).
public struct ClockClampChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case ofKind = "of_kind"
        case ofEntity = "of_entity"
        case offsetMillis = "offset_ms"
    }
    public static let kind = EntityKind.clockClamp

    public var ofKind: EntityKind
    public var ofEntity: String
    public var offsetMillis: Int64

    public init(ofKind: EntityKind, ofEntity: String, offsetMillis: Int64) {
        self.ofKind = ofKind
        self.ofEntity = ofEntity
        self.offsetMillis = offsetMillis
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        ofKind = try f.choice(.ofKind)
        guard case .register = ofKind.policy else { throw f.fail(.ofKind, "must name a register kind") }
        ofEntity = try f.string(.ofEntity)
        offsetMillis = try f.optionalInt(.offsetMillis) ?? 0
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.ofKind, ofKind)
        f.set(.ofEntity, ofEntity)
        f.set(.offsetMillis, offsetMillis)
    }
}
