import Foundation
import Testing

/// Issue 16, "no use case takes or returns CLI strings": a public use case does not take as text
/// what has a type (amounts, tier lists, statuses, kinds, accounts, days, order and refund lines,
/// change ids), nor return raw register fields or string maps instead of a view. The faces
/// parse such input at their edge (the CLI in `Sources/fenxiao/TypedArguments.swift`).
@Suite struct TypedUseCaseSignatureTests {
    static let node = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Node")

    /// Parameter spellings that mean "typed value given as text".
    static let untyped = [
        "tiers: String", "tiers text: String", "status: String", "kind: String", "account: String", "amount: String",
        "minSpend: String", "lines: [String]", "monthDay: String", "dimension: String", "_ text: String",
        "change: String", "price: String", "-> Fields", "-> [String: JSONValue]", "-> [String: String]",
    ]

    /// Every public function or initializer of the Node module, its signature on one line.
    static func signatures() throws -> [(path: String, signature: String)] {
        let files = FileManager.default.enumerator(atPath: node.path)?.compactMap { $0 as? String } ?? []
        var out: [(String, String)] = []
        for path in files where path.hasSuffix(".swift") {
            let lines = try String(contentsOf: node.appendingPathComponent(path), encoding: .utf8).split(
                separator: "\n")
            for (n, line) in lines.enumerated() where line.contains("public func") || line.contains("public init") {
                var signature = String(line)
                var next = n + 1
                while !signature.contains("{") && !signature.contains("->") && next < lines.count {
                    signature += " " + lines[next].trimmingCharacters(in: .whitespaces)
                    next += 1
                }
                out.append((path, signature))
            }
        }
        return out
    }

    @Test func useCasesTakeTypedValues() throws {
        let all = try Self.signatures()
        #expect(all.count > 100, "the scan found the use cases")
        let offenders = all.filter { _, s in Self.untyped.contains { s.contains($0) } }
        #expect(offenders.isEmpty, "\(offenders.map { "\($0.path): \($0.signature)" }.joined(separator: "\n"))")
    }

    /// The check is not vacuous: the signatures these use cases had, as the scan joins them,
    /// are caught by the patterns.
    @Test(arguments: [
        "public init( lines: [String], member: String? = nil, coupon: String? = nil, pay: PaymentMethod? = nil,",
        "public func refund( order id: String, amount: String?, reason: String?, restock: Bool, lines: [String] = [],",
        "public func requestRefund(order id: String, amount: String?, reason: String?, restock: Bool) throws(NodeError)",
        "public func resolveLine(_ text: String) throws(NodeError) -> String {",
        "public func exchange( order: String, returning lines: [String], restock: Bool = true,",
        "public init( sku: String, name: String, price: String, category: String? = nil, product: String? = nil,",
        "public func quarantine(change: String, reason: String) throws(NodeError) -> QuarantineResult {",
        "public func quarantinedChanges() throws(NodeError) -> [String: String] {",
        "public func editCategory(path: String, rename: String?, retire: Bool, parent: String? = nil) throws(NodeError) -> Fields",
        "public func defineCoupon(code: String, amount: Money, minSpend: Money?, singleUse: Bool) throws(NodeError) -> [String: JSONValue]",
    ])
    func theScanCatchesTheOldSignatures(signature: String) {
        #expect(Self.untyped.contains { signature.contains($0) })
    }
}
