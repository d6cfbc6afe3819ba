import ArgumentParser
import Commerce
import Foundation
import Node
import Replication
import Storage

/// `fenxiao`: one binary for store nodes and the central node.
@main
struct Fenxiao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fenxiao",
        abstract: "Offline-first retail and distribution: store nodes that sell offline, a central node that merges.",
        discussion: "Every command takes --data DIR (default $FENXIAO_HOME, else ./fenxiao-data) and --json.",
        version: fenxiaoVersionLine,
        subcommands: [
            Init.self, CatalogCommand.self, StockCommand.self, OrderCommand.self, MemberCommand.self,
            CouponCommand.self, PointsCommand.self, PromoCommand.self, ConflictsCommand.self, Status.self, Serve.self,
            Enroll.self, Join.self, Sync.self, Recover.self, Quarantine.self, Backup.self, Restore.self, Compact.self,
            Archive.self,
            ReportCommand.self, DistributorCommand.self, CommissionCommand.self, WithdrawCommand.self, UserCommand.self,
            GroupCommand.self, CampaignCommand.self, TillCommand.self, ShiftCommand.self, Demo.self, Bench.self,
            Debug.self,
        ]
    )

    /// Parses and runs a command with the README's exit codes: usage errors exit 2 (not
    /// argument-parser's 64), an unknown subcommand is named with a suggestion, and with
    /// `--json` every error is one JSON object on stderr.
    static func main() async {
        // Full-width digits and punctuation typed with a Chinese input method (`１２.５０`,
        // `TEA-01：1`) read as their ASCII forms: NFKC at the edge, before parsing.
        let arguments = CommandLine.arguments.dropFirst().map { $0.precomposedStringWithCompatibilityMapping }
        CLIError.json = arguments.contains("--json")
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .validationFailure, let unknown = UnknownSubcommand.find(in: arguments) {
                finish(CLIError(usage: unknown.message).report(json: CLIError.json))
            }
            finish(error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            finish(error)
        }
    }

    /// Exits for `error`: an exit code as it is; help and `--version` as argument-parser prints
    /// them; a use-case error with its code; a usage error with 2.
    static func finish(_ error: any Error) -> Never {
        switch error {
        case let code as ExitCode:
            Foundation.exit(code.rawValue)
        case is NodeError, is CommerceError, is StorageError, is ArithmeticOverflow:
            Foundation.exit(fail(error).rawValue)
        default:
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }  // help, --version
            if code == .validationFailure {
                if CLIError.json {
                    Foundation.exit(CLIError(usage: message(for: error)).report(json: true).rawValue)
                }
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(CLIError(usage: "").exitCode)
            }
            Foundation.exit(fail(error).rawValue)
        }
    }
}
