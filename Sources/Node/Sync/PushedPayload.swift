import Replication

extension ChangeRecord {
    /// A pushed change's fields read as payload `P`, for the push checks: a missing or mistyped
    /// field refuses the batch with an error naming the change and the field.
    func pushed<P: ChangePayload>(_: P.Type) throws(NodeError) -> P {
        do {
            return try payload(P.self)
        } catch {
            throw NodeError(.invalidInput, "\(error); nothing applied")
        }
    }
}
