import Foundation
import Hummingbird
import Node

/// An `application/x-www-form-urlencoded` body (the enrolment and login forms work without
/// the script).
struct Form {
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// Reads a form body of at most 16 KiB.
    static func read(_ request: Request) async throws -> Form {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: 16 * 1024)
        } catch {
            throw NodeError(.tooLarge, "a form is at most 16 KiB")
        }
        return Form(parsing: String(decoding: body.readableBytesView, as: UTF8.self))
    }

    init(parsing text: String) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { Self.decode(String($0)) }
            if let name = parts.first { fields[name] = parts.count > 1 ? parts[1] : "" }
        }
        self.fields = fields
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    /// A token as a cookie value: only the characters a cookie may carry.
    static func cookieSafe(_ token: String) -> String {
        String(
            token.unicodeScalars.filter {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.~".unicodeScalars.contains($0))
            })
    }
}
