/// A decision the merge made that overrode someone's intent, written down so head office can
/// audit and follow it up.
///
/// Conflict records are derived deterministically from the set of changes a node holds: the
/// same changes give the same records, with the same ids, on every node. Their status and
/// resolution note live in a separate `conflict_note` register keyed by the conflict id.
public struct ConflictRecord: Hashable, Sendable, Codable {
    /// Deterministic id: rule, subject and the losing change.
    public var id: String
    /// The entity family: `stock`, `order`, `claim`, `register`, `ledger`.
    public var kind: String
    /// The rule that decided: `oversold`, `allocation_displaced`, `fact_beats_cancel`,
    /// `refund_exceeds_paid`, `duplicate_claim`, `overdraft`, `concurrent_edit`.
    public var rule: String
    /// What it is about, e.g. `stock:TEA-01@W1`, `order:O123`, `coupon:SAVE10`.
    public var subject: String
    /// The change (origin/seq) or entity that kept its intent, when there is one.
    public var winner: String?
    /// The change (origin/seq) whose intent was overridden or flagged.
    public var loser: String
    /// Size of the damage in `unit`s (fen of money, units of stock, points).
    public var amount: Int64
    public var unit: String
    /// What happened, as data; a face renders it in its reader's language.
    public var facts: ConflictFacts
    public var scope: Scope
    /// The hlc of the losing change, so listings sort in the order things happened.
    public var createdHLC: HLC

    public init(
        _ facts: ConflictFacts, subject: String, winner: String?, loser: String, amount: Int64, unit: String,
        scope: Scope,
        createdHLC: HLC
    ) {
        self.id = "\(facts.rule):\(subject):\(loser)"
        self.kind = facts.family
        self.rule = facts.rule
        self.subject = subject
        self.winner = winner
        self.loser = loser
        self.amount = amount
        self.unit = unit
        self.facts = facts
        self.scope = scope
        self.createdHLC = createdHLC
    }
}
