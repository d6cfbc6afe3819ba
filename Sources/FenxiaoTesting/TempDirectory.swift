import Foundation

/// A fresh directory under the system temp folder, removed by `remove()`.
public struct TempDirectory: Sendable {
    public let path: String

    public init(_ label: String = "fx") {
        path = NSTemporaryDirectory() + "fenxiao-test-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func sub(_ name: String) -> String { path + "/" + name }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
