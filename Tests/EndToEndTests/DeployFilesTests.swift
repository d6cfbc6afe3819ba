import FenxiaoTesting
import Foundation
import Spawn
import Testing

/// `deploy/` (issue 20): the systemd units pass `systemd-analyze verify` (with ExecStart
/// pointed at the built binary), the sample configs start a real central, and the alert
/// rules use only metrics central exports.
@Suite struct DeployFilesTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy").path

    static func read(_ name: String) throws -> String {
        try String(contentsOfFile: deploy + "/" + name, encoding: .utf8)
    }

    /// Never skipped: `make deps` installs systemd (for systemd-analyze) with the build's packages.
    @Test(arguments: ["fenxiao-central.service", "fenxiao-store.service"])
    func theUnitPassesSystemdAnalyzeVerify(unit: String) throws {
        let analyze = try #require(
            ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            },
            "systemd-analyze is missing: run `make deps` (it installs systemd)")
        let text = try Self.read(unit)
        for option in [
            "User=fenxiao", "StateDirectoryMode=0700", "Restart=on-failure", "NoNewPrivileges=yes",
            "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        ] {
            #expect(text.contains("\n\(option)\n"), "\(unit) lacks \(option)")
        }
        let dir = TempDirectory("units")
        defer { dir.remove() }
        let binary = URL(fileURLWithPath: FenxiaoBinary.path).standardizedFileURL.path
        try text.replacingOccurrences(of: "/usr/local/bin/fenxiao", with: binary)
            .write(toFile: dir.sub(unit), atomically: true, encoding: .utf8)
        let errPath = dir.sub("verify.err")
        let ended = try SpawnedProcess(
            executable: analyze, arguments: ["verify", dir.sub(unit)], stderr: .file(errPath)
        ).waitUntilExit(timeout: 60)
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        #expect(ended == .exited(0), "\(stderr)")
        #expect(!stderr.contains(unit), "\(stderr)")
    }

    @Test func theSampleCentralConfigStartsCentral() throws {
        let dir = TempDirectory("deploy-config")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir).store.directory
        // Loopback and free ports instead of the sample's 0.0.0.0:8080 and 9464: the rest as shipped.
        let out = try ConfigFileTests.serveOnce(
            ["--data", central, "--config", Self.deploy + "/central.toml"],
            environment: ["FENXIAO_SERVER_HOST": "127.0.0.1", "FENXIAO_SERVER_PORT": "0", "FENXIAO_METRICS_PORT": "0"])
        #expect(out.stdout.contains("central listening on http://127.0.0.1:"), "\(out.stderr)")
        #expect(out.stderr.contains(#""msg":"listening""#), "log.format = json from the sample")
    }

    @Test func theSampleStoreConfigStartsTheTill() throws {
        let dir = TempDirectory("deploy-store-config")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        let store = try Fixtures.store("shop1", in: dir, from: central).store.directory
        let out = try ConfigFileTests.serveOnce(
            ["--data", store, "--config", Self.deploy + "/store.toml"],
            environment: ["FENXIAO_SERVER_HOST": "127.0.0.1", "FENXIAO_SERVER_PORT": "0"])
        #expect(out.stdout.contains("till listening on http://127.0.0.1:"), "\(out.stderr)")
    }

    @Test func theAlertRulesUseOnlyMetricsCentralExports() throws {
        let readme = try String(
            contentsOfFile: URL(fileURLWithPath: Self.deploy).deletingLastPathComponent().path + "/README.md",
            encoding: .utf8)
        let alerts = try Self.read("alerts.yml")
        let names = Set(Self.metricNames(in: alerts))
        #expect(names.count >= 6)
        for name in names {
            let base = ["_bucket", "_count", "_sum"].reduce(name) { n, s in
                n.hasSuffix(s) ? String(n.dropLast(s.count)) : n
            }
            #expect(readme.contains("`\(base)`"), "alerts.yml uses \(name), which the README's metrics table lacks")
        }
        #expect(try Self.read("prometheus.yml").contains("fenxiao-alerts.yml"))
    }

    static func metricNames(in text: String) -> [String] {
        var names: [String] = []
        var current = ""
        for c in text + " " {
            if c.isLetter || c.isNumber || c == "_" {
                current.append(c)
            } else {
                if current.hasPrefix("fenxiao_") { names.append(current) }
                current = ""
            }
        }
        return names
    }
}
