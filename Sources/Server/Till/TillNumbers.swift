import Foundation
import NIOCore
import Replication

/// Finds the number a JSON body holds that no till field can take: every number in a till
/// request is a whole count, amount or id that fits in 64 bits.
enum TillNumbers {
    /// The key of the first number (in key order) that is fractional or beyond Int64, if the
    /// body is JSON at all.
    static func unrepresentable(in body: ByteBuffer) -> Field? {
        guard
            let json = try? JSONSerialization.jsonObject(
                with: Data(body.readableBytesView), options: [.fragmentsAllowed])
        else { return nil }
        return find(json, key: nil).map { Field(rawValue: $0) }
    }

    static func find(_ value: Any, key: String?) -> String? {
        switch value {
        case let object as [String: Any]:
            for (k, v) in object.sorted(by: { $0.key < $1.key }) {
                if let found = find(v, key: k) { return found }
            }
            return nil
        case let array as [Any]:
            for v in array {
                if let found = find(v, key: key) { return found }
            }
            return nil
        case let number as NSNumber:
            if Int64(exactly: number.doubleValue) != nil || Int64(number.stringValue) != nil { return nil }
            return key ?? "body"
        default:
            return nil
        }
    }
}
