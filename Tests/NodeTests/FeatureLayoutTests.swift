import Foundation
import Testing

/// The shape of the use-case layer (docs/ARCHITECTURE.md, "Feature services"): use cases live
/// in feature folders as `extension <Feature>` methods, the root only holds the features and
/// the shared plumbing, and queries live in Storage.
@Suite struct FeatureLayoutTests {
    static let known: Set = [
        "Orders", "Inventory", "Catalog", "Members", "Marketing", "Distribution", "Access", "Reports", "Sync",
    ]
    static let node = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Node")

    /// Every Swift file of the Node module, by path relative to `Sources/Node`, with its lines.
    static func sources() throws -> [(path: String, lines: [Substring])] {
        let files = FileManager.default.enumerator(atPath: node.path)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            let text = try String(contentsOf: node.appendingPathComponent(path), encoding: .utf8)
            return (path, text.split(separator: "\n", omittingEmptySubsequences: false))
        }
    }

    /// The features: folders `F` whose `F/F.swift` declares `public struct F: NodeFeature`.
    static func features(_ sources: [(path: String, lines: [Substring])]) -> Set<String> {
        Set(
            sources.compactMap { path, lines in
                let parts = path.split(separator: "/").map(String.init)
                guard parts.count == 2, parts[1] == "\(parts[0]).swift",
                    lines.contains(where: { $0.hasPrefix("public struct \(parts[0]): NodeFeature") })
                else { return nil }
                return parts[0]
            })
    }

    @Test func theRootHoldsNoUseCases() throws {
        let sources = try Self.sources()
        let features = Self.features(sources)
        #expect(features.isSuperset(of: Self.known), "\(features)")
        var offenders: [String] = []
        for (path, lines) in sources where lines.contains(where: { $0.hasPrefix("extension FenxiaoNode") }) {
            let folder = path.split(separator: "/").first.map(String.init) ?? ""
            if folder == "Root" || path == "FenxiaoNode.swift" { continue }
            // A feature's own file may only add the root's accessor to it.
            if path == "\(folder)/\(folder).swift" && features.contains(folder) {
                let publicFuncs = lines.filter { $0.contains("public func") || $0.contains("public static func") }
                if !publicFuncs.isEmpty { offenders.append("\(path): \(publicFuncs.joined(separator: "; "))") }
                continue
            }
            offenders.append("\(path) extends FenxiaoNode: put the use case in its feature (extension <Feature>)")
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    @Test func aFeatureFolderExtendsOnlyItsOwnFeature() throws {
        let sources = try Self.sources()
        let features = Self.features(sources)
        var offenders: [String] = []
        var scanned = 0
        for (path, lines) in sources {
            guard let folder = path.split(separator: "/").first.map(String.init), features.contains(folder) else {
                continue
            }
            scanned += 1
            for (n, line) in lines.enumerated() {
                for other in features where other != folder && line.hasPrefix("extension \(other) ") {
                    offenders.append("\(path):\(n + 1): \(line)")
                }
            }
        }
        #expect(scanned > 40)
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    /// Queries are named `StoreReader` functions in Storage; only the write checks beside the
    /// sync endpoints still read with SQL.
    @Test func useCasesHoldNoSQL() throws {
        var offenders: [String] = []
        for (path, lines) in try Self.sources() where !(path.hasPrefix("Sync/") && path.contains("Check")) {
            for (n, line) in lines.enumerated() where line.contains("SELECT ") || line.contains(".rows(") {
                offenders.append("\(path):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }
}
