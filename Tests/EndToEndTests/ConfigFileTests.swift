import FenxiaoTesting
import Foundation
import Spawn
import Testing

/// `fenxiao.toml` (issue 20): flags override `FENXIAO_…` variables, which override the file,
/// which overrides the defaults; a file with an unknown key, a wrong type or a bad value is
/// refused with the key and line named and exit 2, before anything is served.
@Suite struct ConfigFileTests {
    /// Runs `fenxiao serve ARGS` until it listens, stops it, and returns its stdout and stderr.
    static func serveOnce(_ args: [String], environment: [String: String] = [:]) throws -> (
        stdout: String, stderr: String
    ) {
        let dir = try #require(args.firstIndex(of: "--data").map { args[$0 + 1] })
        let run = dir + "/run-\(UUID().uuidString.prefix(6))"
        let (portFile, outPath, errPath) = (run + ".port", run + ".out", run + ".err")
        let p = try SpawnedProcess(
            executable: FenxiaoBinary.path, arguments: ["serve", "--port-file", portFile] + args,
            environment: FenxiaoBinary.childEnvironment(environment), stdout: .file(outPath), stderr: .file(errPath))
        // Listening once the listening line is on stdout (written after the port file).
        var listening = false
        for _ in 0..<500 where !listening && p.isRunning {  // bounded: 10 s
            listening = (try? String(contentsOfFile: outPath, encoding: .utf8))?.contains("listening") == true
            if !listening { usleep(20_000) }
        }
        p.signal(SIGTERM)
        p.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        #expect(listening, "serve did not start: \(stderr)")
        return (stdout, stderr)
    }

    @Test func flagsOverrideTheEnvironmentWhichOverridesTheFile() throws {
        let dir = TempDirectory("config-precedence")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir).store.directory
        // The file in the data folder is read without --config.
        try """
        # central's settings
        [server]
        host = "127.0.0.3"   # a loopback address of its own, to tell the layers apart
        port = 0

        [log]
        format = "json"
        """.write(toFile: central + "/fenxiao.toml", atomically: true, encoding: .utf8)

        let file = try Self.serveOnce(["--data", central])
        #expect(file.stdout.contains("listening on http://127.0.0.3:"), "\(file.stdout)")
        let firstLine = try #require(file.stderr.split(separator: "\n").first)
        let json = try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any]
        #expect(json?["ts"] is String, "log.format = json from the file: \(firstLine)")

        let env = try Self.serveOnce(
            ["--data", central], environment: ["FENXIAO_SERVER_HOST": "127.0.0.2", "FENXIAO_LOG_FORMAT": "text"])
        #expect(env.stdout.contains("listening on http://127.0.0.2:"), "\(env.stdout)")
        #expect(env.stderr.contains(" NOTICE fenxiao: listening"), "\(env.stderr)")

        let flag = try Self.serveOnce(
            ["--data", central, "--host", "127.0.0.1"], environment: ["FENXIAO_SERVER_HOST": "127.0.0.2"])
        #expect(flag.stdout.contains("listening on http://127.0.0.1:"), "\(flag.stdout)")
    }

    @Test(arguments: [
        ("[server]\nprot = 8080\n", "fenxiao.toml:2: unknown key `server.prot`; known in [server]:"),
        ("[server]\nport = \"8080\"\n", "fenxiao.toml:2: `server.port` must be an integer"),
        ("[servers]\nport = 1\n", "fenxiao.toml:1: unknown section [servers]"),
        ("port = 1\n", "fenxiao.toml:1: `port` must be inside a section"),
        ("[log]\nlevel = \"loud\"\n", "fenxiao.toml:2: `log.level` = loud is not valid"),
        ("[server]\nport = 1\nport = 2\n", "fenxiao.toml:3: `server.port` is set twice"),
        ("[server]\nport = 70000\n", "--port must be 0…65535, not 70000"),
        ("[server]\nhost = [\"a\"]\n", "fenxiao.toml:2: `server.host`: arrays and inline tables are not used"),
        ("[webhook]\nurl = \"http://127.0.0.1:9/x\"\n", "--webhook needs a signing secret"),
        ("[housekeeping]\nevery = 0\n", "housekeeping.every must be 1…3600, not 0"),
    ])
    func aBadConfigIsRefusedWithTheKeyNamed(text: String, message: String) throws {
        let dir = TempDirectory("config-bad")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir).store.directory
        let path = dir.sub("fenxiao.toml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let out = try FenxiaoBinary.run(["serve", "--data", central, "--config", path], timeout: 20)
        #expect(out.status == 2, "\(text): \(out.stderr)")
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(!out.stdout.contains("listening"))
    }

    @Test func aBadVariableIsRefusedByNameAndAMissingConfigFileToo() throws {
        let dir = TempDirectory("config-env")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir).store.directory
        let env = try FenxiaoBinary.run(
            ["serve", "--data", central], environment: ["FENXIAO_SERVER_PORT": "eighty"], timeout: 20)
        #expect(env.status == 2)
        #expect(env.stderr.contains("FENXIAO_SERVER_PORT=eighty is not valid"), "\(env.stderr)")
        let missing = try FenxiaoBinary.run(
            ["serve", "--data", central, "--config", dir.sub("nope.toml")], timeout: 20)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.toml cannot be read"), "\(missing.stderr)")
    }
}
