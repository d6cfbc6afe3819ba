import Foundation

/// Who else has a node's database open, for the "database is locked" message (Linux: read
/// from /proc; elsewhere nothing is known and the message says so).
enum LockHolders {
    /// Other processes holding `path` (or its -wal / -shm) open: "pid 123 (fenxiao serve …)".
    static func describe(path: String) -> [String] {
        #if os(Linux)
            let fm = FileManager.default
            let me = ProcessInfo.processInfo.processIdentifier
            let targets = Set(
                [path, path + "-wal", path + "-shm"].map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            guard let pids = try? fm.contentsOfDirectory(atPath: "/proc") else { return [] }
            var found: [String] = []
            for pid in pids.compactMap({ Int32($0) }).sorted() where pid != me {
                guard let fds = try? fm.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
                let holds = fds.contains { fd in
                    (try? fm.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")).map(targets.contains) ?? false
                }
                guard holds else { continue }
                let raw = fm.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                let command = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
                found.append("pid \(pid) (\(command.isEmpty ? "unknown command" : String(command.prefix(120))))")
                if found.count == 5 { break }
            }
            return found
        #else
            return []
        #endif
    }

    /// The full busy message.
    static func message(path: String, waitedSeconds: Int) -> String {
        let holders = describe(path: path)
        let who = holders.isEmpty ? "another process" : holders.joined(separator: ", ")
        return "the node's database is locked by \(who) and stayed locked for \(waitedSeconds) s; nothing was written. "
            + "Wait for it to finish (or stop it) and try again"
    }
}
