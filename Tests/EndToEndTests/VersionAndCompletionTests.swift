import FenxiaoTesting
import Foundation
import Replication
import Storage
import Testing

/// `fenxiao --version` and the completion scripts `make completions` writes (issue 20).
@Suite struct VersionAndCompletionTests {
    @Test func versionNamesTheSchemaAndTheSyncProtocol() throws {
        let out = try FenxiaoBinary.run(["--version"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(
            out.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(
                "(schema \(NodeSchema.version), sync protocol \(SyncWire.protocolVersion))"), "\(out.stdout)")
        #expect(out.stdout.hasPrefix("fenxiao "))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func theCompletionScriptKnowsTheOperationsOptions(shell: String) throws {
        let out = try FenxiaoBinary.run(["--generate-completion-script", shell])
        #expect(out.status == 0, "\(out.stderr)")
        // fish names long options without their dashes (`-l 'log-format'`).
        for word in ["serve", "--log-format", "--metrics-port", "--webhook-secret-file", "--config"] {
            let written = shell == "fish" && word.hasPrefix("--") ? String(word.dropFirst(2)) : word
            #expect(out.stdout.contains(written), "\(shell) completion lacks \(word)")
        }
    }
}
