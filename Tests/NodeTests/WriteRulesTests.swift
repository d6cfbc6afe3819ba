import Foundation
import Replication
import Testing

@testable import Node

/// The one table of per-kind write rules drives the push check and the docs (issue 15 item 2).
@Suite struct WriteRulesTests {
    static var protocolFile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("sync/PROTOCOL.md")
    }

    @Test func protocolDocCarriesTheTableTheCodeChecks() throws {
        let text = try String(contentsOf: Self.protocolFile, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- write-rules:begin -->\n"))
        let end = try #require(text.range(of: "<!-- write-rules:end -->"))
        #expect(
            String(text[begin.upperBound..<end.lowerBound]) == WriteRules.markdown(),
            "sync/PROTOCOL.md's write-rules table is stale: paste the output of `fenxiao debug write-rules`")
    }

    @Test func theTableCoversExactlyTheKindsAStoreMayWrite() {
        for kind in EntityKind.sorted {
            let rule = WriteRules.rule(for: kind)
            #expect((rule != nil) == (kind.authorship == .anyNode), "\(kind): table and merge policy disagree")
            if let rule {
                #expect(
                    (rule.store == .global) == PushCheck.globalKinds.contains(kind),
                    "\(kind): table and push check scope disagree")
            }
        }
    }

    @Test func boundsAreEnforcedAtAndPastTheLimit() throws {
        func change(_ fields: Fields, _ kind: EntityKind = .orderLine) throws -> ChangeRecord {
            ChangeRecord(
                origin: try #require(NodeID("s1")), seq: 1, hlc: HLC(wallMillis: 1, counter: 0), kind: kind,
                entity: "O-1#1",
                fields: fields, scope: .node(try #require(NodeID("s1"))))
        }
        let line: Fields = [
            "order": "O-1", "line": 1, "sku": "TEA-01", "qty": .int(Limits.maxQuantity),
            "unit_cents": .int(Limits.maxUnitCents), "discount_cents": 0,
        ]
        try WriteRules.checkValues(try change(line), fromStore: true)
        for (field, value) in [
            ("qty", Limits.maxQuantity + 1), ("qty", 0), ("unit_cents", Limits.maxUnitCents + 1), ("unit_cents", -1),
            ("line", 0),
        ] {
            var f = line
            f[field] = .int(value)
            #expect(throws: NodeError.self, "\(field) = \(value)") {
                try WriteRules.checkValues(try change(f), fromStore: true)
            }
            let c = try change(f)
            do { try WriteRules.checkValues(c, fromStore: true) } catch {
                #expect(error.message.contains("field \(field)"), "the refusal names the field: \(error.message)")
            }
        }
        let ledger: Fields = ["member": "M1", "account": "points", "delta": 10, "reason": "checkin", "bonus": 1]
        #expect(throws: NodeError.self, "a store writes only listed fields of a closed kind") {
            try WriteRules.checkValues(try change(ledger, .memberLedger), fromStore: true)
        }
        // head office's own writes: generic bounds
        try WriteRules.checkValues(try change(ledger, .memberLedger), fromStore: false)
        var extra = line
        extra["note"] = .string(String(repeating: "x", count: Limits.maxStringBytes + 1))
        #expect(throws: NodeError.self, "fields the table does not list keep the generic bounds") {
            try WriteRules.checkValues(try change(extra), fromStore: true)
        }
    }

    /// The check runs over a change's fields in dictionary order and sorts them only to name a
    /// refused one: with several fields out of bounds, the refusal names the first by name, as
    /// it did when every check sorted (the message must not depend on hashing).
    @Test func aRefusalNamesTheFirstBadFieldInNameOrder() throws {
        let node = try #require(NodeID("s1"))
        for seed in 0..<50 {
            var rng = SplitMix64(seed: UInt64(seed))
            var fields: Fields = [
                "order": "O-1", "line": 1, "sku": "TEA-01", "qty": 1, "unit_cents": 100, "discount_cents": 0,
            ]
            let bad: [(String, JSONValue)] = [
                ("discount_cents", -1), ("line", 0), ("qty", .int(Limits.maxQuantity + 1)), ("sku", .int(3)),
                ("unit_cents", -1),
            ]
            let chosen = bad.filter { _ in rng.chance(50) }
            guard let first = chosen.map(\.0).min() else { continue }
            for (name, value) in chosen { fields[name] = value }
            let c = ChangeRecord(
                origin: node, seq: 1, hlc: HLC(wallMillis: 1, counter: 0), kind: .orderLine, entity: "O-1#1",
                fields: fields,
                scope: .node(node))
            do {
                try WriteRules.checkValues(c, fromStore: true)
                Issue.record("fields \(chosen.map(\.0)) out of bounds were accepted")
            } catch {
                #expect(
                    error.message.contains("field \(first) "), "names \(first) of \(chosen.map(\.0)): \(error.message)")
            }
        }
    }
}
