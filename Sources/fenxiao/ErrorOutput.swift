import ArgumentParser
import Commerce
import Foundation
import Node

/// One refusal as the CLI reports it: a line on stderr (`error: --pay-ref must be …`), or with
/// `--json` one object on stderr, and the exit code of the README's table.
///
/// JSON shape: `{"error": {"code": "invalidInput", "exit_code": 2, "field": "pay_ref",
/// "flag": "--pay-ref", "message": "--pay-ref must be …"}}` — `code` as the HTTP API names it,
/// `field`/`flag` only when the error is about one field, `message` with fields shown as flags.
struct CLIError: Encodable {
    let code: String
    let exitCode: Int32
    let field: String?
    let flag: String?
    let message: String
    /// The sentence in the output language (Chinese from the counter's catalog under
    /// `LANG=zh_CN.UTF-8`), for the human line; `--json` keeps `message` in English.
    let localized: String

    enum CodingKeys: String, CodingKey {
        case code, exitCode, field, flag, message
    }

    /// The report of a use-case error.
    init(_ error: NodeError) {
        code = error.code.rawValue
        exitCode = Self.exitCode(error.code)
        field = error.field?.rawValue
        flag = error.field?.flag
        message = error.text.rendered(\.flag)
        localized = error.sentence(in: OutputLanguage.current, naming: \.flag)
    }

    /// The report of a usage error (argument-parser's own message): exit 2.
    init(usage text: String) {
        code = NodeError.Code.invalidInput.rawValue
        exitCode = 2
        field = nil
        flag = nil
        message = text
        localized = text
    }

    /// The README's exit codes: 2 bad input, 3 not found, 4 refused by a business rule,
    /// 5 not allowed, 1 other.
    static func exitCode(_ code: NodeError.Code) -> Int32 {
        switch code {
        case .invalidInput, .tooLarge: return 2
        case .notFound: return 3
        case .conflict, .versionMismatch: return 4
        case .forbidden, .unauthorized, .wrongRole: return 5
        case .storage: return 1
        }
    }

    /// Writes the report on stderr (JSON when `json`) and returns the exit code to throw.
    func report(json: Bool) -> ExitCode {
        struct Wrapper: Encodable { let error: CLIError }
        let text =
            json
            ? CommonOptions.encode(Wrapper(error: self))
            : OutputLanguage.text("error: ", "错误：") + localized
        FileHandle.standardError.write(Data((text + "\n").utf8))
        return ExitCode(exitCode)
    }

    /// Whether errors are printed as JSON: set once the command line is parsed (its `--json`).
    nonisolated(unsafe) static var json = false
}

/// Prints a one-line error on stderr and returns the exit code to throw.
func fail(_ error: any Error) -> ExitCode {
    CLIError(NodeError.wrap(error)).report(json: CLIError.json)
}

/// Runs a use case, turning failures into a message and an exit code.
func attempt<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e  // a usage error: exit 2 with argument-parser's message
    } catch {
        throw fail(error)
    }
}
