/// The JSON bodies and headers of the sync protocol (see sync/PROTOCOL.md).
public enum SyncWire {
    /// Protocol version; a peer with another version gets 409.
    public static let protocolVersion = 1
    public static let protocolHeader = "X-Fenxiao-Protocol"
    public static let schemaHeader = "X-Fenxiao-Schema"
    /// The sender's wall clock (ms since the epoch) when it sent the request or answer: central
    /// measures each store's clock offset from it, and a store its offset from central's.
    public static let wallClockHeader = "X-Fenxiao-Wall-Clock"
    /// Central's maximum clock offset (ms), on every answer: stores bound their clocks by it.
    public static let maxOffsetHeader = "X-Fenxiao-Max-Clock-Offset"

    /// `POST /v1/sync/push` body.
    public struct PushRequest: Codable, Sendable {
        public var changes: [ChangeRecord]
        public init(changes: [ChangeRecord]) { self.changes = changes }

        /// Encodes without re-sorting: each change in its canonical form.
        public static func encode(_ changes: [ChangeRecord]) -> String {
            String(decoding: Body(changes).finish(), as: UTF8.self)
        }

        /// A push body written change by change, each by a writer of its canonical form.
        public struct Body {
            private var out: [UInt8] = []
            /// Changes appended so far.
            public private(set) var count = 0
            /// Bytes written so far (the body's closing bytes not counted).
            public var byteCount: Int { out.count }

            public init(capacity: Int) {
                out.reserveCapacity(300 * capacity + 16)
                out.append(contentsOf: "{\"changes\":[".utf8)
            }

            /// The body of `changes`, each in its canonical form.
            public init(_ changes: [ChangeRecord]) {
                self.init(capacity: changes.count)
                for c in changes { append { c.writeCanonicalJSON(into: &$0) } }
            }

            /// Appends one change, which `write` writes in its canonical form.
            public mutating func append(_ write: (inout [UInt8]) throws -> Void) rethrows {
                if count > 0 { out.append(UInt8(ascii: ",")) }
                try write(&out)
                count += 1
            }

            /// The finished body; `trailer` (further members of the answer's object, each
            /// starting with a comma) goes after the changes.
            public func finish(trailer: [UInt8] = []) -> [UInt8] {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(out.count + trailer.count + 2)
                bytes.append(contentsOf: out)
                bytes.append(UInt8(ascii: "]"))
                bytes.append(contentsOf: trailer)
                bytes.append(UInt8(ascii: "}"))
                return bytes
            }
        }
    }

    /// `POST /v1/sync/push` answer.
    public struct PushResponse: Codable, Sendable, Equatable {
        public var acked_seq: Int64
        public var applied: Int
        public var duplicates: Int
        public var conflicts_new: Int
        public init(acked_seq: Int64, applied: Int, duplicates: Int, conflicts_new: Int) {
            self.acked_seq = acked_seq
            self.applied = applied
            self.duplicates = duplicates
            self.conflicts_new = conflicts_new
        }
    }

    /// `GET /v1/sync/pull` answer. The cursor is an opaque string (today: central's log position).
    public struct PullResponse: Codable, Sendable {
        public var changes: [ChangeRecord]
        public var cursor: String
        public var more: Bool
        public init(changes: [ChangeRecord], cursor: String, more: Bool) {
            self.changes = changes
            self.cursor = cursor
            self.more = more
        }

        /// The answer with the changes already written in `body`.
        public static func encode(_ body: PushRequest.Body, cursor: String, more: Bool) -> [UInt8] {
            var trailer = Array(",\"cursor\":".utf8)
            JSONValue.writeString(cursor, into: &trailer)
            trailer.append(contentsOf: ",\"more\":\(more)".utf8)
            return body.finish(trailer: trailer)
        }

        public static func encode(_ changes: [ChangeRecord], cursor: String, more: Bool) -> String {
            String(decoding: encode(PushRequest.Body(changes), cursor: cursor, more: more), as: UTF8.self)
        }
    }

    /// Every error answer: `{"error": "...", "code": "..."}`.
    public struct ErrorBody: Codable, Sendable {
        public var error: String
        public var code: String
        /// The request field the error is about (snake_case), so a form can highlight it;
        /// absent when the error is not about one field.
        public var field: String?
        public init(error: String, code: String, field: String? = nil) {
            self.error = error
            self.code = code
            self.field = field
        }
    }
}
