import FenxiaoTesting
import Foundation
import Testing

/// Storage faults: a full disk fails the write cleanly; a damaged file is detected, never used.
@Suite struct StorageFaultTests {
    @Test func fullDiskFailsTheOrderCleanlyAndLosesNothingCommitted() throws {
        try withTempDirectory("full") { dir in
            let d = dir.sub("s")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", d])
            _ = try FenxiaoBinary.run([
                "catalog", "add-product", "--sku", "BUN-01", "--name", "Bun", "--price", "3.5", "--data", d,
            ])
            _ = try FenxiaoBinary.run(["stock", "receive", "--sku", "BUN-01", "--qty", "100000", "--data", d])
            // A page budget a little above the current size: the stream of orders runs into it.
            // checkpoints the WAL so the file size is the page count
            _ = try FenxiaoBinary.run(["debug", "check", "--data", d])
            let size = try FileManager.default.attributesOfItem(atPath: d + "/fenxiao.sqlite")[.size] as? Int ?? 0
            let budget = max(size / 4096, 1) + 60
            let out = try FenxiaoBinary.run(
                ["debug", "sell-stream", "--sku", "BUN-01", "--count", "100000", "--data", d],
                environment: ["FENXIAO_MAX_PAGE_COUNT": String(budget)], timeout: 120)
            #expect(out.status != 0)
            #expect(out.stderr.contains("disk is full"), "\(out.stderr)")
            let sold = out.stdout.split(separator: "\n").map(String.init)
            #expect(!sold.isEmpty)
            let check = try FenxiaoBinary.run(["debug", "check", "--json", "--data", d])
            #expect(check.status == 0, "\(check.stdout)")
            for id in sold.suffix(5) {
                #expect(
                    try FenxiaoBinary.run(["order", "show", id, "--data", d]).status == 0,
                    "acknowledged order \(id) lost")
            }
        }
    }

    @Test func damagedFileIsDetectedAndNeverUsed() throws {
        try withTempDirectory("corrupt") { dir in
            let d = dir.sub("c")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", d])
            for i in 0..<40 {
                _ = try FenxiaoBinary.run([
                    "catalog", "add-product", "--sku", "P-\(i)", "--name", "Product number \(i) with a long name",
                    "--price", "1", "--data", d,
                ])
            }
            _ = try FenxiaoBinary.run(["debug", "check", "--data", d])  // checkpoints the WAL into the file
            let path = d + "/fenxiao.sqlite"
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(bytes.count > 8 * 4096)
            // Scribble over a b-tree page in the middle of the file (not the header).
            for i in (5 * 4096)..<(5 * 4096 + 2048) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let serve = try FenxiaoBinary.run(["serve", "--port", "0", "--data", d], timeout: 20)
            #expect(serve.status != 0)
            #expect(serve.stderr.contains("damaged") || serve.stderr.contains("corrupt"), "\(serve.stderr)")
            let check = try FenxiaoBinary.run(["debug", "check", "--data", d])
            #expect(check.status != 0)
        }
    }
}
