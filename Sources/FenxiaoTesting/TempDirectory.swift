import Foundation

/// A fresh directory under the system temp folder, removed by `remove()`; tests hold one
/// through `withTempDirectory` or `withCentral`, which remove it when the test ends.
public struct TempDirectory: Sendable {
    public let path: String

    public init(_ label: String = "fx") {
        path = NSTemporaryDirectory() + "fenxiao-test-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func sub(_ name: String) -> String { path + "/" + name }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with a fresh directory and removes it afterwards, whatever `body` does.
public func withTempDirectory<T>(_ label: String = "fx", _ body: (TempDirectory) throws -> T) rethrows -> T {
    let dir = TempDirectory(label)
    defer { dir.remove() }
    return try body(dir)
}

/// Runs async `body` with a fresh directory and removes it afterwards, whatever `body` does.
public func withTempDirectory<T>(
    _ label: String = "fx", _ body: (TempDirectory) async throws -> T
) async rethrows -> T {
    let dir = TempDirectory(label)
    defer { dir.remove() }
    return try await body(dir)
}
