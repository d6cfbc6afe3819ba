/// Who may see a row or a change: every node (`global`) or one node and central (`node`).
///
/// Central filters pulls by scope; state hashes are computed per scope set.
public enum Scope: Hashable, Sendable, Comparable, CustomStringConvertible {
    case global
    case node(NodeID)

    public init?(_ text: String) {
        if text == "global" {
            self = .global
        } else if text.hasPrefix("node:"), let id = NodeID(String(text.dropFirst(5))) {
            self = .node(id)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .global: return "global"
        case .node(let id): return "node:" + id.rawValue  // not interpolation: built per row written
        }
    }

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.description < rhs.description }
}

extension Scope: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let scope = Scope(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid scope '\(text)'"))
        }
        self = scope
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The total order used by every deterministic rule: hybrid clock first, then origin node,
/// then the origin's sequence number. Two distinct changes never compare equal.
public struct ChangeStamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hlc: HLC
    public let origin: NodeID
    public let seq: Int64

    public init(hlc: HLC, origin: NodeID, seq: Int64) {
        self.hlc = hlc
        self.origin = origin
        self.seq = seq
    }

    public static func < (a: ChangeStamp, b: ChangeStamp) -> Bool {
        if a.hlc != b.hlc { return a.hlc < b.hlc }
        if a.origin != b.origin { return a.origin < b.origin }
        return a.seq < b.seq
    }

    /// `origin/seq`, the change's identity.
    public var changeID: String { "\(origin.rawValue)/\(seq)" }
    public var description: String { "\(changeID)@\(hlc)" }
}

/// What a change does to its entity.
public enum ChangeOp: String, Sendable, Codable, Hashable, CaseIterable {
    /// Sets the given fields (registers) or creates a record (ledgers, orders).
    case upsert
    /// An order state transition; `fields["status"]` names the target state.
    case transition
    /// A quarantined change: a store replaced one of its own changes that central refused
    /// for its content (`fenxiao sync quarantine`). It keeps its origin, seq and stamp, so the
    /// store's sequence stays gap-free, and has no effect anywhere; `fields["quarantined"]`
    /// says why. See sync/PROTOCOL.md, "A refused change".
    case void
}

/// One entry of the replicated change log: who wrote what, when, to which entity.
///
/// `(origin, seq)` identifies a change everywhere; `seq` is gap-free per origin. `context` is
/// the version vector of the entity as the writer saw it, so a merge can tell an edit made
/// after seeing another edit from a concurrent one.
public struct ChangeRecord: Hashable, Sendable, Codable {
    /// The change's parts, shared by its copies until one of them is changed.
    ///
    /// A change is copied far more often than changed — passed to each check and rule, kept in
    /// batches and indexes — and a copy of eleven separate parts retained each of them (~5 % of
    /// central's writer in the profile); a copy now retains one object. Mutation goes through
    /// ``unique()``, which copies the parts first when another change shares them, so a change
    /// keeps value semantics.
    private final class Parts: @unchecked Sendable {
        // Mutated only through `unique()`, that is while no other change holds this object.
        var origin: NodeID
        var seq: Int64
        var hlc: HLC
        var kind: EntityKind
        var entity: String
        var op: ChangeOp
        var fields: Fields
        var context: VersionVector
        var scope: Scope
        /// ``fields`` as canonical JSON when it was worked out ahead (``prepareCanonicalFields()``);
        /// not part of the change's identity: equality and hashing ignore it.
        var fieldsText: String?
        /// ``context`` as canonical JSON when it was worked out ahead, like ``fields``.
        var contextText: String?
        /// ``fields`` decoded as a typed payload ahead (``preparePayload(_:)``); equality and
        /// hashing ignore it, and a change of ``fields`` drops it.
        var prepared: PreparedPayload?

        init(
            origin: NodeID, seq: Int64, hlc: HLC, kind: EntityKind, entity: String, op: ChangeOp, fields: Fields,
            context: VersionVector, scope: Scope
        ) {
            self.origin = origin
            self.seq = seq
            self.hlc = hlc
            self.kind = kind
            self.entity = entity
            self.op = op
            self.fields = fields
            self.context = context
            self.scope = scope
        }

        func copy() -> Parts {
            let copy = Parts(
                origin: origin, seq: seq, hlc: hlc, kind: kind, entity: entity, op: op, fields: fields,
                context: context, scope: scope)
            copy.fieldsText = fieldsText
            copy.contextText = contextText
            copy.prepared = prepared
            return copy
        }
    }

    private var parts: Parts

    /// The parts, copied first if another change shares them.
    private mutating func unique() -> Parts {
        if !isKnownUniquelyReferenced(&parts) { parts = parts.copy() }
        return parts
    }

    public var origin: NodeID {
        get { parts.origin }
        set { unique().origin = newValue }
    }
    public var seq: Int64 {
        get { parts.seq }
        set { unique().seq = newValue }
    }
    public var hlc: HLC {
        get { parts.hlc }
        set { unique().hlc = newValue }
    }
    public var kind: EntityKind {
        get { parts.kind }
        set { unique().kind = newValue }
    }
    public var entity: String {
        get { parts.entity }
        set { unique().entity = newValue }
    }
    public var op: ChangeOp {
        get { parts.op }
        set { unique().op = newValue }
    }
    /// Changing the fields drops what was worked out from them ahead.
    public var fields: Fields {
        get { parts.fields }
        _modify {
            let parts = unique()
            parts.fieldsText = nil
            parts.prepared = nil
            yield &parts.fields
        }
    }
    /// Changing the context drops its text worked out ahead.
    public var context: VersionVector {
        get { parts.context }
        _modify {
            let parts = unique()
            parts.contextText = nil
            yield &parts.context
        }
    }
    public var scope: Scope {
        get { parts.scope }
        set { unique().scope = newValue }
    }

    public init(
        origin: NodeID, seq: Int64, hlc: HLC, kind: EntityKind, entity: String, op: ChangeOp = .upsert,
        fields: Fields, context: VersionVector = VersionVector(), scope: Scope
    ) {
        parts = Parts(
            origin: origin, seq: seq, hlc: hlc, kind: kind, entity: entity, op: op, fields: fields, context: context,
            scope: scope)
    }

    public var stamp: ChangeStamp { ChangeStamp(hlc: hlc, origin: origin, seq: seq) }

    /// ``fields`` as canonical JSON (sorted keys, no whitespace): the `fields` column of the log.
    public var canonicalFields: String { parts.fieldsText ?? fields.canonicalText }

    /// ``context`` as canonical JSON: the `ctx` column of the log.
    public var canonicalContext: String { parts.contextText ?? context.canonicalJSON }

    /// Works out ``canonicalFields`` and ``canonicalContext`` now and keeps them. A decoder of
    /// received changes calls this, so that the writer, which holds the node's write lock,
    /// does not serialize them.
    public mutating func prepareCanonicalFields() {
        let parts = unique()
        parts.fieldsText = parts.fields.canonicalText
        parts.contextText = parts.context.canonicalJSON
    }

    /// Keeps `text` as ``canonicalFields``: the bytes a sender wrote for ``fields`` when the
    /// reader found them already canonical (``JSONReader/readFieldsObject(depth:canonical:)``).
    mutating func keepCanonicalFields(_ text: String) {
        assert(text == fields.canonicalText, "fields kept as canonical are not: \(text)")
        let parts = unique()
        parts.fieldsText = text
        parts.contextText = parts.context.canonicalJSON
    }

    /// Decodes ``fields`` as `P` now and keeps it for ``payload(_:)``, which then returns it
    /// instead of decoding again. Central calls this for a received batch before it takes the
    /// write lock. Nothing is kept when the kind differs or the fields do not decode (the
    /// applier's own decoding then throws its error, as without this).
    @inlinable public mutating func preparePayload<P: ChangePayload>(_: P.Type) {
        guard kind == P.kind, let value = try? P(fields: fields) else { return }
        keepPrepared(PreparedValue(value))
    }

    /// Keeps `prepared` (built where `P` is known, so its metadata is not looked up at run time).
    @usableFromInline mutating func keepPrepared(_ prepared: PreparedPayload) {
        unique().prepared = prepared
    }

    /// Keeps `value`, whose ``ChangePayload/fields`` are this change's ``fields``, for
    /// ``payload(_:)``: a node's own write hands the applier the payload its use case built
    /// instead of having it decoded again. Debug builds (every test) check that decoding the
    /// fields gives `value` back — what every other node reads from them.
    /// Registers are merged field by field, never read as a payload by the applier: nothing is kept.
    @inlinable public mutating func keepPayload<P: ChangePayload>(_ value: P) {
        guard kind == P.kind else { return }
        if case .register = kind.policy { return }
        assert(
            (try? P(fields: fields)) == value, "\(P.self) does not read back from its own fields: \(fields)")
        keepPrepared(PreparedValue(value))
    }

    /// The payload ``preparePayload(_:)`` or ``keepPayload(_:)`` kept, if it is a `P`.
    @inlinable func preparedPayload<P: ChangePayload>(_: P.Type) -> P? { preparedBox?.value(as: P.self) }

    /// What ``preparePayload(_:)`` or ``keepPayload(_:)`` kept.
    @usableFromInline var preparedBox: PreparedPayload? { parts.prepared }

    public static func == (a: ChangeRecord, b: ChangeRecord) -> Bool {
        if a.parts === b.parts { return true }
        return a.origin == b.origin && a.seq == b.seq && a.hlc == b.hlc && a.kind == b.kind && a.entity == b.entity
            && a.op == b.op && a.fields == b.fields && a.context == b.context && a.scope == b.scope
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(origin)
        hasher.combine(seq)
        hasher.combine(hlc)
        hasher.combine(kind)
        hasher.combine(entity)
        hasher.combine(op)
        hasher.combine(fields)
        hasher.combine(context)
        hasher.combine(scope)
    }

    enum CodingKeys: String, CodingKey {
        case origin, seq, hlc, kind, entity, op, fields, context = "ctx", scope
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(origin, forKey: .origin)
        try c.encode(seq, forKey: .seq)
        try c.encode(hlc, forKey: .hlc)
        try c.encode(kind, forKey: .kind)
        try c.encode(entity, forKey: .entity)
        try c.encode(op, forKey: .op)
        try c.encode(fields, forKey: .fields)
        try c.encode(context, forKey: .context)
        try c.encode(scope, forKey: .scope)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            origin: try c.decode(NodeID.self, forKey: .origin), seq: try c.decode(Int64.self, forKey: .seq),
            hlc: try c.decode(HLC.self, forKey: .hlc), kind: try c.decode(EntityKind.self, forKey: .kind),
            entity: try c.decode(String.self, forKey: .entity), op: try c.decode(ChangeOp.self, forKey: .op),
            fields: try c.decode(Fields.self, forKey: .fields),
            context: try c.decodeIfPresent(VersionVector.self, forKey: .context) ?? VersionVector(),
            scope: try c.decode(Scope.self, forKey: .scope))
    }

    /// The canonical JSON object of this change (sorted keys, no whitespace).
    public var canonicalJSON: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(384)
        writeCanonicalJSON(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``canonicalJSON`` to `out` as UTF-8 bytes.
    public func writeCanonicalJSON(into out: inout [UInt8]) {
        Self.writeCanonicalJSON(
            into: &out, context: { $0.append(contentsOf: context.canonicalJSON.utf8) }, entity: entity,
            fields: { JSONValue.object(fields).write(into: &$0) }, hlc: hlc.rawValue, kind: kind.rawValue, op: op,
            origin: origin.rawValue, scope: scope.description, seq: seq)
    }

    /// The canonical JSON object of a change from its parts (the one layout: sorted keys, no
    /// whitespace). `context` and `fields` append their own canonical JSON — a change log row's
    /// `ctx` and `fields` columns hold exactly that, so a push is written from the rows without
    /// parsing them (`StoreReader.ownChangesBody`).
    public static func writeCanonicalJSON(
        into out: inout [UInt8], context: (inout [UInt8]) -> Void, entity: String, fields: (inout [UInt8]) -> Void,
        hlc: Int64, kind: String, op: ChangeOp, origin: String, scope: String, seq: Int64
    ) {
        out.append(contentsOf: "{\"ctx\":".utf8)
        context(&out)
        out.append(contentsOf: ",\"entity\":".utf8)
        JSONValue.writeString(entity, into: &out)
        out.append(contentsOf: ",\"fields\":".utf8)
        fields(&out)
        out.append(contentsOf: ",\"hlc\":".utf8)
        out.append(contentsOf: String(hlc).utf8)
        out.append(contentsOf: ",\"kind\":".utf8)
        JSONValue.writeString(kind, into: &out)
        out.append(contentsOf: ",\"op\":\"".utf8)
        out.append(contentsOf: op.rawValue.utf8)
        out.append(contentsOf: "\",\"origin\":".utf8)
        JSONValue.writeString(origin, into: &out)
        out.append(contentsOf: ",\"scope\":".utf8)
        JSONValue.writeString(scope, into: &out)
        out.append(contentsOf: ",\"seq\":".utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(UInt8(ascii: "}"))
    }
}

extension Scope {
    /// The node of a `node:` scope.
    public var ownerNode: NodeID? {
        if case .node(let id) = self { return id }
        return nil
    }
}
