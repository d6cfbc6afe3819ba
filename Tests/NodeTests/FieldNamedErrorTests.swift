import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Testing

/// Use cases are shared by every face (CLI, web till, API): their refusals name the request's
/// fields (`pay_ref`), never a face's spelling of them (`--pay-ref`), and point at the field.
@Suite struct FieldNamedErrorTests {
    /// A CLI flag inside a sentence: `--` then a lower-case word, not part of a longer token.
    static func containsFlag(_ text: String) -> Bool {
        text.range(of: #"(^|[^\w-])--[a-z]"#, options: .regularExpression) != nil
    }

    @Test func refusedUseCasesNameTheirFieldWithoutAFlag() throws {
        try withCentral("fields") { central, _ in
            _ = try central.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            let pending = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], channel: .online))
            var bad = OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash)
            bad.payReference = "not a ref!"
            let refusals: [(expected: Field, call: () throws -> Void)] = [
                (.payRef, { _ = try central.orders.create(bad) }),
                (.line, { _ = try central.orders.create(OrderRequest(lines: [], pay: .cash)) }),
                (.sku, { _ = try central.orders.create(OrderRequest(lines: [.line("TEA 01", 1)], pay: .cash)) }),
                (.quantity, { _ = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 0)], pay: .cash)) }),
                (.payment, { _ = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 1)])) }),
                (.payment, { _ = try central.orders.transition(order: pending.id, to: .paid) }),
                (
                    .amount,
                    {
                        _ = try central.orders.refund(
                            order: pending.id, amount: Money(cents: 0), reason: nil, restock: false)
                    }
                ),
                (
                    .line,
                    {
                        _ = try central.orders.refund(
                            order: pending.id, amount: nil, reason: nil, restock: false, lines: [.line(0, 1)])
                    }
                ),
                (
                    .amount,
                    {
                        _ = try central.orders.requestRefund(
                            order: pending.id, amount: Money(cents: -100), reason: nil, restock: false)
                    }
                ),
                (.olderThan, { _ = try central.orders.expireUnpaid(olderThan: 0) }),
                (
                    .amount,
                    {
                        _ = try central.distribution.requestWithdrawal(
                            distributor: "C", amount: Money(cents: 1), method: .bank)
                    }
                ),
                (.limit, { _ = try central.reports.topSellers(by: .sku, limit: 0) }),
            ]
            for (expected, call) in refusals {
                do {
                    try call()
                    Issue.record("expected a refusal naming \(expected)")
                } catch let error as NodeError {
                    #expect(error.field == expected, "\(error.message)")
                    #expect(!Self.containsFlag(error.message), "a flag in: \(error.message)")
                    #expect(error.message.contains(expected.rawValue), "\(error.message)")
                }
            }
        }
    }

    /// Every string literal in the Node and Commerce modules: none spells a CLI flag (a new
    /// message writes `\(Field.payRef)` instead, and each face renders it).
    @Test func noUseCaseSourceSpellsACLIFlag() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var offenders: [String] = []
        var scanned = 0
        for module in ["Sources/Node", "Sources/Commerce"] {
            let base = root.appendingPathComponent(module)
            let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                scanned += 1
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    if code.hasPrefix("//") { continue }
                    // The string literals on the line (between quotes).
                    let parts = code.split(separator: "\"", omittingEmptySubsequences: false)
                    for (i, part) in parts.enumerated() where i % 2 == 1 && Self.containsFlag(String(part)) {
                        offenders.append("\(module)/\(file):\(n + 1): \(part)")
                    }
                }
            }
        }
        #expect(scanned > 50)
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    @Test func aMessageRendersItsFieldsPerFace() {
        let error = NodeError(.invalidInput, "give either \(Field.amount) or \(Field.line), not both")
        #expect(error.field == .amount)
        #expect(error.message == "give either amount or line, not both")
        #expect(error.text.rendered { "[\($0.rawValue)]" } == "give either [amount] or [line], not both")
        #expect(error.text.fields == [.amount, .line])
        let wrapped = NodeError.wrap(CommerceError(.invalidQuantity, "\(Field.quantity) must be positive"))
        #expect(wrapped.field == .quantity && wrapped.code == .invalidInput)
    }
}
