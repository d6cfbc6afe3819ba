import Foundation
import Testing

@testable import Replication

@Suite struct HLCTests {
    @Test(arguments: [
        (Int64(0), 0), (1, 1), (1_700_000_000_000, 0), (1_700_000_000_000, 0xFFFF), (1_234_567_890_123, 12_345),
    ])
    func packingRoundTripsWallAndCounter(wall: Int64, counter: Int) {
        let h = HLC(wallMillis: wall, counter: counter)
        #expect(h.wallMillis == wall)
        #expect(h.counter == counter)
        #expect(h.rawValue == wall << 16 | Int64(counter))
        #expect(HLC(rawValue: h.rawValue) == h)
    }

    @Test func rawValueIsWallShiftedSixteenBitsPlusCounter() {
        #expect(HLC(wallMillis: 1, counter: 2).rawValue == 65_538)
        #expect(HLC(rawValue: 65_538).wallMillis == 1)
        #expect(HLC(rawValue: 65_538).counter == 2)
        #expect(HLC.zero.rawValue == 0)
    }

    @Test func counterIsMaskedToSixteenBits() {
        let h = HLC(wallMillis: 5, counter: 0x1_0001)
        #expect(h.wallMillis == 5)
        #expect(h.counter == 1)
    }

    @Test(arguments: [
        ((Int64(1000), 0), (Int64(1000), 1)),
        ((1000, 0xFFFF), (1001, 0)),
        ((999, 0xFFFF), (1000, 0)),
        ((0, 0), (0, 1)),
        ((1_700_000_000_000, 7), (1_700_000_000_001, 0)),
    ])
    func ordersByWallThenCounter(lower: (Int64, Int), higher: (Int64, Int)) {
        let a = HLC(wallMillis: lower.0, counter: lower.1)
        let b = HLC(wallMillis: higher.0, counter: higher.1)
        #expect(a < b)
        #expect(!(b < a))
        #expect(a != b)
    }

    @Test func descriptionIsWallDotCounter() {
        #expect(HLC(wallMillis: 1000, counter: 3).description == "1000.3")
        #expect(HLC.zero.description == "0.0")
    }

    @Test func encodesAsPlainJSONNumber() throws {
        let h = HLC(wallMillis: 1_700_000_000_000, counter: 9)
        let data = try JSONEncoder().encode([h])
        #expect(String(decoding: data, as: UTF8.self) == "[\(h.rawValue)]")
        let back = try JSONDecoder().decode([HLC].self, from: data)
        #expect(back == [h])
    }

    @Test func decodingAStringFails() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([HLC].self, from: Data("[\"1000.3\"]".utf8))
        }
    }
}
