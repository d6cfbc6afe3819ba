import Commerce

extension FenxiaoNode {
    /// The self-service use cases of `member` (who must exist here); the mall calls this with the
    /// member of a live session.
    public func selfService(member: String) throws(NodeError) -> MemberSelfService {
        _ = try members.mallMember(member)
        return MemberSelfService(member: member, node: self)
    }
}
