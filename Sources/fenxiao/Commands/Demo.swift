import ArgumentParser
import Foundation
import Node

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Central + three stores on 127.0.0.1: an offline day with conflicts, sync, converged report.")
    @Flag(help: "Print one JSON object instead of the narrative.") var json = false
    @Option(help: "Keep the nodes in this directory (default: a temporary one, removed afterwards).") var keep: String?

    func run() async throws {
        let root = keep ?? (NSTemporaryDirectory() + "fenxiao-demo-\(ProcessInfo.processInfo.processIdentifier)")
        if keep == nil { try? FileManager.default.removeItem(atPath: root) }
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: root) } }
        let json = self.json
        let scenario = DemoScenario(root: root) { line in if !json { print(line) } }
        let result: DemoScenario.Result
        do {
            result = try await scenario.run()
        } catch {
            throw fail(error)
        }
        if json {
            print(CommonOptions.encode(result))
        } else {
            print("\n⑤ State hashes (store vs central's view of that store's scope):")
            for h in result.hashes {
                print(
                    "   \(h.store)  \(h.store_hash.prefix(16))…  central \(h.central_hash.prefix(16))…  \(h.equal ? "equal ✓" : "DIFFERENT ✗")"
                )
            }
            print("\n⑥ Conflicts found and how they were resolved:")
            for c in result.conflicts {
                print(
                    "   [\(c.status)] \(c.rule) \(c.subject)\n      \(c.detail)\(c.note.map { "\n      resolution: \($0)" } ?? "")"
                )
            }
            print("\n⑦ Sales (merged at central):")
            print("   store  orders   revenue   refunds       net")
            for r in result.sales {
                print(
                    "   \(r.store.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(r.orders).leftPad(6)) \(yuan(r.revenue_cents).leftPad(9)) \(yuan(r.refunds_cents).leftPad(9)) \(yuan(r.net_cents).leftPad(9))"
                )
            }
            print("\n⑧ Commissions (derived at central from the merged orders):")
            for c in result.commissions {
                print(
                    "   \(c.key): earned \(yuan(c.earned_cents)) on \(c.orders) order(s), frozen \(yuan(c.frozen_cents)) until the 7-day after-sale window closes"
                )
            }
            print(result.converged ? "\nAll stores converged with central." : "\nNOT CONVERGED")
            if let keep { print("Nodes kept in \(keep) (try: fenxiao conflicts --data \(keep)/central)") }
        }
        if !result.converged { throw ExitCode(1) }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
