import FenxiaoTesting
import Foundation
import Node
import Testing

/// A real `kill -9` of a child process in the middle of a stream of orders: after restart,
/// every order the child reported as committed is there with its change records, and no
/// change record lacks its rows.
@Suite struct CrashSafetyTests {
    @Test func killNineMidStreamLosesNothingCommitted() throws {
        try withCentral("crash") { central, dir in
            let store = try Fixtures.store("s1", in: dir, from: central)
            _ = try store.inventory.move(sku: "BUN-01", quantity: 100_000, reason: .receive)

            let child = Process()
            child.executableURL = URL(fileURLWithPath: FenxiaoBinary.path)
            child.arguments = ["debug", "sell-stream", "--data", dir.sub("s1"), "--sku", "BUN-01", "--count", "100000"]
            let out = Pipe()
            child.standardOutput = out
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Read committed order ids until we have seen enough, then kill without warning.
            var committed: [String] = []
            var buffer = Data()
            let reader = out.fileHandleForReading
            while committed.count < 150 {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let nl = buffer.firstIndex(of: 10) {
                    committed.append(String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...nl)
                }
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            #expect(committed.count >= 150)

            let reopened = try FenxiaoNode.open(directory: dir.sub("s1"))
            #expect(try reopened.read { try $0.consistencyProblems() } == [])
            try reopened.store.quickCheck()
            for id in committed {
                let order = try reopened.orders.find(id)
                #expect(order.lines.count == 3)
            }
            // Orders on disk beyond the last reported one are fine (committed before the print);
            // each of them is complete too, which consistencyProblems() checked.
            let total = try reopened.read { try $0.orderIDs(limit: 1_000_000).count }
            #expect(total >= committed.count)
            #expect(try reopened.inventory.levels(sku: "BUN-01").first?.on_hand == 100_000 - Int64(total * 3))
        }
    }
}
