import ArgumentParser
import Node

/// A command that opens the node (`--data`, `--as`), runs one use case and prints its result
/// (`--json`, or a human rendering). The ritual lives here once: a command only says what it
/// asks of the node and how a person reads the answer.
///
/// ```swift
/// struct Show: NodeCommand {
///     @OptionGroup var common: CommonOptions
///     @Option var sku: SKUArgument
///     func run(on node: FenxiaoNode) throws -> [StockLevelView] { try node.inventory.levels(sku: sku.rawValue) }
///     func human(_ levels: [StockLevelView]) -> String { … }
/// }
/// ```
///
/// Errors thrown by `run(on:)` print as `CLIError` (one line, or JSON with `--json`) with the
/// README's exit code; argument-parser's `ValidationError` exits 2 with its usage message.
protocol NodeCommand: ParsableCommand {
    /// What the use case returns; printed as JSON with `--json`.
    associatedtype Output: Encodable

    /// `--data`, `--json`, `--as`.
    var common: CommonOptions { get }

    /// Runs the use case on the opened node.
    func run(on node: FenxiaoNode) throws -> Output

    /// The result as a person reads it (without `--json`).
    func human(_ output: Output) -> String

    /// Runs once the result is printed: throws an `ExitCode` when the result itself is a
    /// failure (a backup or check that found the file inconsistent exits 1). Nothing by default.
    func finish(_ output: Output) throws
}

extension NodeCommand {
    /// Opens the node, runs the use case and prints its result once.
    func run() throws {
        let node = try common.openNode()
        let output = try attempt { try run(on: node) }
        common.emit(output, human: human(output))
        try finish(output)
    }

    func finish(_ output: Output) throws {}
}

/// A ``NodeCommand`` whose use case talks to central over the network (`join`): the same
/// ritual, awaited.
protocol AsyncNodeCommand: AsyncParsableCommand {
    /// What the use case returns; printed as JSON with `--json`.
    associatedtype Output: Encodable

    /// `--data`, `--json`, `--as`.
    var common: CommonOptions { get }

    /// Runs the use case on the opened node.
    func run(on node: FenxiaoNode) async throws -> Output

    /// The result as a person reads it (without `--json`).
    func human(_ output: Output) -> String
}

extension AsyncNodeCommand {
    /// Opens the node, runs the use case and prints its result once.
    func run() async throws {
        let node = try common.openNode()
        let output: Output
        do {
            output = try await run(on: node)
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
        common.emit(output, human: human(output))
    }
}
