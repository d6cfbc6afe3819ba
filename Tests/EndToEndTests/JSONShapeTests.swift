import FenxiaoTesting
import Foundation
import Testing

/// What `--json` prints, as a script reads it (issue 14): snake_case keys in every command,
/// instants as ISO 8601 with the node's offset (the integer kept as `*_at_ms`), one shape for
/// `stock show`, plain dates for `--from`; and the issue's pricing example end to end.
@Suite struct JSONShapeTests {
    static func fx(_ args: String..., data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(args + ["--data", data, "--json"])
    }

    /// Keys that look like Swift property names (`amountCents`, `unitPrice`): a lower-case start,
    /// then a capital. Data keys such as SKUs (`TEA-01`) or node ids are not flagged.
    static func camelCaseKeys(_ value: Any, path: String = "") -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child -> [String] in
                let here = path.isEmpty ? key : "\(path).\(key)"
                let camel = key.first?.isLowercase == true && key.contains { $0.isUppercase }
                return (camel ? [here] : []) + camelCaseKeys(child, path: here)
            }
        }
        if let array = value as? [Any] { return array.flatMap { camelCaseKeys($0, path: path + "[]") } }
        return []
    }

    /// Every `*_at` value: an ISO 8601 string with an offset, next to its `*_at_ms` integer.
    static func badTimes(_ value: Any, path: String = "") -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child -> [String] in
                let here = "\(path).\(key)"
                var bad = badTimes(child, path: here)
                if key.hasSuffix("_at"), !(child is NSNull) {
                    let iso =
                        (child as? String).map {
                            $0.range(of: #"T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"#, options: .regularExpression) != nil
                        } ?? false
                    if !iso || object["\(key)_ms"] == nil { bad.append(here) }
                }
                return bad
            }
        }
        if let array = value as? [Any] { return array.flatMap { badTimes($0, path: path + "[]") } }
        return []
    }

    @Test func theIssueCartAndEveryCommandsJSONShape() throws {
        try withTempDirectory("jsonshape") { dir in
            let c = dir.sub("c")
            var outputs: [(String, FenxiaoBinary.Output)] = []
            func run(_ args: String...) throws -> FenxiaoBinary.Output {
                let out = try FenxiaoBinary.run(args + ["--data", c, "--json"])
                #expect(out.status == 0, "\(args.joined(separator: " ")): \(out.stderr)")
                outputs.append((args.prefix(2).joined(separator: " "), out))
                return out
            }
            _ = try run("init", "--role", "central", "--node", "central")
            _ = try run("catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "310")
            _ = try run("stock", "receive", "--sku", "TEA-01", "--qty", "10")
            _ = try run("promo", "add", "--id", "manjian", "--name", "满300减100", "--spend-save", "300:100")
            _ = try run(
                "member", "level", "--define", "gold", "--name", "Gold", "--min-points", "0", "--points-multiplier",
                "150", "--discount", "5")
            _ = try run("member", "add", "--id", "M1", "--name", "Li")
            _ = try run("coupon", "define", "--code", "C20", "--amount", "20", "--multi-use")
            // Defect 6: ¥310, 满300减100, 5 % level discount, a ¥20 coupon.
            let guest = try run("order", "quote", "--line", "TEA-01:1", "--coupon", "C20")
            #expect(guest.json?["total_cents"] as? Int == 19_000)
            let member = try run("order", "quote", "--line", "TEA-01:1", "--member", "M1", "--coupon", "C20")
            #expect(member.json?["total_cents"] as? Int == 17_450)
            let sources = (member.json?["discounts"] as? [[String: Any]])?.compactMap { $0["source"] as? String }
            #expect(sources == ["promotion:level-gold", "promotion:manjian", "coupon:C20"])
            let line = (member.json?["lines"] as? [[String: Any]])?.first
            #expect(
                line?["unit_price_cents"] as? Int == 31_000
                    || (line?["unit_price"] as? [String: Any])?["cents"] as? Int == 31_000)
            let sold = try run(
                "order", "create", "--line", "TEA-01:1", "--member", "M1", "--coupon", "C20", "--pay", "cash")
            #expect(sold.json?["total_cents"] as? Int == 17_450)
            let id = try #require(sold.json?["id"] as? String)
            _ = try run("order", "show", id)
            // A plain date is midnight in the node's time zone; the whole day is included from it.
            let listed = try run("order", "list", "--from", "2020-01-01")
            #expect((listed.json?["orders"] as? [Any])?.count == 1)
            let later = try run("order", "list", "--from", "2999-12-31")
            #expect((later.json?["orders"] as? [Any])?.count == 0)
            let bad = try FenxiaoBinary.run(["order", "list", "--from", "2026-02-30", "--data", c, "--json"])
            #expect(bad.status != 0 && bad.stderr.contains("2026-02-30"))
            let stock = try run("stock", "show", "--sku", "TEA-01")
            #expect(stock.json?["on_hand"] as? Int == 9 && (stock.json?["levels"] as? [Any])?.count == 1)
            _ = try run("stock", "history", "--sku", "TEA-01")
            _ = try run("member", "show", "M1")
            _ = try run("member", "login", "--id", "M1")
            _ = try run("member", "level")
            _ = try run("promo", "list")
            _ = try run("coupon", "list")
            _ = try run("catalog", "list")
            _ = try run("withdraw", "rules")
            _ = try run("report", "sales", "--from", "2020-01-01")
            _ = try run("status")
            for (command, out) in outputs {
                let object = try #require(
                    try? JSONSerialization.jsonObject(with: Data(out.stdout.utf8)), "\(command): \(out.stdout)")
                #expect(Self.camelCaseKeys(object) == [], "\(command) prints camelCase keys")
                #expect(Self.badTimes(object) == [], "\(command) prints a time that is not ISO 8601 with an offset")
            }
            let login = outputs.first { $0.0 == "member login" }?.1.json
            #expect((login?["last_login_at"] as? String)?.hasSuffix("+08:00") == true)
            #expect(login?["last_login_at_ms"] as? Int != nil)
        }
    }
}
