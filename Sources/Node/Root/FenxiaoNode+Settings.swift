import Commerce
import Replication
import Storage

extension FenxiaoNode {
    /// Saves a patch of head office's settings (central only; only the fields given change).
    func saveSettings<P: SettingPayload>(
        _ patch: P, permission: Permission, completing complete: ((LocalTransaction, inout P) throws -> Void)? = nil
    ) throws(NodeError) {
        try requireCentral("changing settings")
        guard !patch.fields.isEmpty else {
            throw NodeError(.invalidInput, "nothing to change; give at least one option")
        }
        try write(permission, "settings.\(P.entity)") { tx in
            var patch = patch
            try complete?(tx, &patch)
            try tx.emit(patch, entity: P.entity, scope: .global)
        }
    }

    /// The node's configured UTC offset for day boundaries (`fenxiao init --utc-offset`),
    /// Asia/Shanghai (+08:00) unless set.
    public func dayOffsetMillis() throws(NodeError) -> Int64 {
        try read { r in
            try r.meta("utc_offset_minutes").flatMap { Int64($0) }.map { $0 * 60_000 }
                ?? NodeCalendar.shanghaiOffsetMillis
        }
    }
}
