import CPostgres
import Foundation

/// A PostgreSQL error, with the server's SQLSTATE when there is one.
public struct PGError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// The five-character SQLSTATE (`23505` unique violation, `40001` serialization failure…).
    public var sqlState: String?
    public var description: String { message }
}

/// One libpq connection, used by one thread at a time: the synchronous shape of `Storage`
/// (central's writes run on a blocking pool), so libpq through a system-library target rather
/// than an async client. Parameters are always sent apart from the SQL (`PQexecParams`).
public final class PGConnection: @unchecked Sendable {
    let handle: OpaquePointer

    /// Connects to `url` (`postgres://user@host:port/db`); the error names the URL without its password.
    public init(url: String) throws {
        guard let handle = PQconnectdb(url) else { throw PGError(message: "libpq could not allocate a connection") }
        self.handle = handle
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            // No PQfinish here: the object is whole, so `deinit` runs and finishes the handle.
            throw PGError(message: "cannot connect to PostgreSQL at \(Self.redacted(url)): \(message)")
        }
        // NOTICEs (`CREATE … IF NOT EXISTS` skipping) would go to stderr: only warnings and worse.
        try query("SET client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is still up (false after the server went away).
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// `url` with any password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"),
            let colon = url[scheme.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    /// Runs `sql` with text parameters `$1…`; returns the rows as text (nil for NULL).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let result = try withParameters(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try Self.check(result)
        let rows = Int(PQntuples(result)), columns = Int(PQnfields(result))
        var out: [[String?]] = []
        out.reserveCapacity(rows)
        for r in 0..<rows {
            out.append(
                (0..<columns).map { c in
                    PQgetisnull(result, Int32(r), Int32(c)) == 1
                        ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c)))
                })
        }
        return out
    }

    /// Runs a script of statements without parameters (migrations).
    public func execute(script: String) throws {
        guard let result = PQexec(handle, script) else { throw PGError(message: "libpq returned no result") }
        defer { PQclear(result) }
        try Self.check(result)
    }

    /// Throws the server's error, with its SQLSTATE, unless `result` is a success.
    static func check(_ result: OpaquePointer) throws {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PGError(message: message.isEmpty ? "PostgreSQL refused the statement" : message, sqlState: state)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    func withParameters(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> OpaquePointer?) throws
        -> OpaquePointer
    {
        var copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } }
        defer { for p in copies { free(p) } }
        let values = copies.map { $0.map { UnsafePointer($0) } }
        guard let result = body(values) else {
            throw PGError(message: String(cString: PQerrorMessage(handle)), sqlState: nil)
        }
        return result
    }
}
