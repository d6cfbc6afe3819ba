import FenxiaoTesting
import Foundation
import Node
import Testing

/// `fenxiao serve` runs the HTTP server and its background services (housekeeping) in one
/// service group: SIGTERM stops them all cleanly, and the last housekeeping leaves the mark.
@Suite struct ServeLifecycleTests {
    @Test func sigtermStopsTheServerAndItsServicesCleanly() throws {
        try withCentral("serve-lifecycle") { central, _ in
            let data = central.store.directory
            let server = try ServerProcess(data: data)
            let health = try FenxiaoBinary.run(["status", "--data", data])
            #expect(health.status == 0)
            server.stop()  // SIGTERM
            #expect(server.process.termination == .exited(0), "serve did not stop cleanly on SIGTERM")
            let mark = try #require(
                FileManager.default.contents(atPath: data + "/central.mark"), "no mark after a clean stop")
            #expect(!mark.isEmpty)
        }
    }
}
