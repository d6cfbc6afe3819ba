import CCurl
import Foundation

/// An HTTP answer.
public struct HTTPResult: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// Response headers, names lower-cased (the last value wins for a repeated name).
    public var headers: [String: String] = [:]
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A transport failure (no HTTP status): connection refused, timeout, reset.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A small libcurl client: one reused easy handle (keep-alive), connect and total timeouts.
///
/// Not thread-safe: one client per task. `@unchecked Sendable` because the handle is only used
/// from the task that owns the client.
public final class CurlHTTPClient: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    public var connectTimeoutMillis: Int
    public var totalTimeoutMillis: Int
    /// Bytes sent in request bodies and received in response bodies, for measurements.
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init(connectTimeoutMillis: Int = 3000, totalTimeoutMillis: Int = 30_000) throws {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { throw TransportError(message: "libcurl could not create a handle") }
        handle = h
        self.connectTimeoutMillis = connectTimeoutMillis
        self.totalTimeoutMillis = totalTimeoutMillis
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs one request. Throws ``TransportError`` when no HTTP answer arrived.
    public func request(method: String, url: String, headers: [String: String] = [:], body: [UInt8]? = nil) throws
        -> HTTPResult
    {
        curl_easy_reset(handle)
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let headerSink = Sink()
        var list: UnsafeMutablePointer<curl_slist>?
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(k): \(v)") }
        list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        defer { curl_slist_free_all(list) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = url.withCString { urlPtr in
            errorBuffer.withUnsafeMutableBufferPointer { errPtr in
                let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
                _ = fx_setopt_ptr(handle, CURLOPT_URL, urlPtr)
                _ = fx_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errPtr.baseAddress)
                _ = fx_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = fx_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMillis)
                _ = fx_setopt_long(handle, CURLOPT_TIMEOUT_MS, totalTimeoutMillis)
                _ = fx_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
                _ = fx_setopt_ptr(handle, CURLOPT_HTTPHEADER, list)
                _ = fx_setopt_ptr(handle, CURLOPT_WRITEDATA, sinkPtr)
                _ = fx_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
                    guard let data, let user else { return 0 }
                    let n = size * count
                    let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
                    data.withMemoryRebound(to: UInt8.self, capacity: n) {
                        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
                    }
                    return n
                }
                _ = fx_setopt_ptr(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(headerSink).toOpaque())
                _ = fx_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
                    guard let data, let user else { return 0 }
                    let n = size * count
                    let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
                    if sink.bytes.count < 64 * 1024 {  // headers of a sane answer; ignore the rest
                        data.withMemoryRebound(to: UInt8.self, capacity: n) {
                            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
                        }
                    }
                    return n
                }
                method.withCString { m in _ = fx_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, m) }
                if let body {
                    return body.withUnsafeBytes { raw in
                        _ = fx_setopt_long(handle, CURLOPT_POST, 1)
                        _ = fx_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
                        _ = fx_setopt_ptr(handle, CURLOPT_POSTFIELDS, raw.baseAddress)
                        return method.withCString { m in
                            _ = fx_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, m)
                            return curl_easy_perform(handle)
                        }
                    }
                }
                return method.withCString { m in
                    _ = fx_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, m)
                    return curl_easy_perform(handle)
                }
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let generic = String(cString: curl_easy_strerror(code))
            throw TransportError(message: detail.isEmpty ? generic : detail)
        }
        var status = 0
        _ = fx_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        bytesSent += body?.count ?? 0
        bytesReceived += sink.bytes.count
        return HTTPResult(status: status, body: sink.bytes, headers: Self.parseHeaders(headerSink.bytes))
    }

    /// `Name: value` lines of the last response (after redirects or 100-continue) by lower-cased name.
    static func parseHeaders(_ bytes: [UInt8]) -> [String: String] {
        var headers: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: {
            $0 == "\r\n" || $0 == "\n" || $0 == "\r"
        }) {
            if line.hasPrefix("HTTP/") { headers = [:]; continue }  // a new response starts
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }
}
