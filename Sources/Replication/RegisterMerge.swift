/// The materialized state of a field-level register (a catalog item, a member profile…).
public struct RegisterState: Equatable, Sendable {
    public var fields: Fields
    /// The stamp of the change that wrote each field's current value.
    public var stamps: [String: ChangeStamp]
    /// Every change applied to this entity, as a version vector.
    public var version: VersionVector

    public init(fields: Fields = [:], stamps: [String: ChangeStamp] = [:], version: VersionVector = VersionVector()) {
        self.fields = fields
        self.stamps = stamps
        self.version = version
    }
}

/// Field-level register merge.
///
/// Each field takes the value of the write with the greatest (hlc, origin, seq). A write that
/// lost a field to a winner whose causal context had *not* seen it was a concurrent edit: its
/// intent was overridden without anyone seeing it, so a `concurrent_edit` conflict is recorded.
/// A write the winner had seen was simply superseded and needs no record.
///
/// A write that central dated by its arrival (a `clock_clamp`, see ``ClockClamp``) competes
/// with its *effective* stamp, `min(its hlc, the clamp's hlc)`, so a store whose clock runs
/// fast cannot win by its clock alone.
///
/// Depends only on the set of writes (and clamps), never on their order, so every node agrees.
public enum RegisterMerge {
    public static func materialize(
        _ writes: [ChangeRecord], subject: String, scope: Scope, clamps: ClockClamp.Table = [:]
    ) -> (state: RegisterState, conflicts: [ConflictRecord]) {
        var seen = Set<ChangeStamp>()
        let writes = writes.filter { seen.insert($0.stamp).inserted }  // a set: duplicates count once
        var state = RegisterState()
        var winners: [String: ChangeRecord] = [:]
        for w in writes {
            state.version.record(origin: w.origin, seq: w.seq)
            let mine = ClockClamp.effectiveStamp(of: w, clamps: clamps)
            for field in w.fields.keys {
                if let current = winners[field], ClockClamp.effectiveStamp(of: current, clamps: clamps) > mine {
                    continue
                }
                winners[field] = w
            }
        }
        for (field, w) in winners {
            state.fields[field] = w.fields[field]
            state.stamps[field] = w.stamp
        }
        var conflicts: [ConflictRecord] = []
        for w in writes {
            for (field, value) in w.fields {
                guard let winner = winners[field], winner.stamp != w.stamp else { continue }
                if winner.context.includes(origin: w.origin, seq: w.seq) { continue }
                if winner.fields[field] == value { continue }  // same value: no intent lost
                conflicts.append(
                    ConflictRecord(
                        .concurrentEdit(
                            field: field, at: w.origin.rawValue, winnerAt: winner.origin.rawValue,
                            kept: winner.fields[field]?.canonicalText ?? "null", overrode: value.canonicalText),
                        subject: "\(subject).\(field)", winner: winner.stamp.changeID, loser: w.stamp.changeID,
                        amount: 0,
                        unit: "none", scope: scope, createdHLC: w.hlc))
            }
        }
        return (state, conflicts.sorted { $0.id < $1.id })
    }
}
