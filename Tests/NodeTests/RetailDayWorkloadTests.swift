import Testing

@testable import Node

/// Expected values come from the C reference generator:
/// `gcc -O2 -w -o /tmp/wl_check bench/c/wl_check.c && /tmp/wl_check S O`
/// (identical to `python3 bench/py/workload.py S O`).
@Suite struct RetailDayWorkloadTests {
    typealias W = RetailDayWorkload

    // wl_check 2 200:
    // workload S=2 O=200 changes=3420 payload_bytes=581718 avg_payload=170.1 member_orders=194 crc32=7476c5e1
    @Test func checksumTwoStoresTwoHundredOrdersMatchesC() {
        let s = W.checksum(stores: 2, orders: 200)
        #expect(s.changes == 3420)
        #expect(s.payloadBytes == 581_718)
        #expect(s.memberOrders == 194)
        #expect(s.crc32 == 0x7476_C5E1)
        #expect(s == W.Summary(changes: 3420, payloadBytes: 581_718, memberOrders: 194, crc32: 0x7476_C5E1))
    }

    // wl_check 10 10000:
    // workload S=10 O=10000 changes=849866 payload_bytes=144595427 avg_payload=170.1 member_orders=50028 crc32=b7ee280c
    @Test func checksumTenStoresTenThousandOrdersMatchesC() {
        let s = W.checksum(stores: 10, orders: 10_000)
        #expect(s.memberOrders == 50_028)
        #expect(s.changes == 849_866)
        #expect(s.payloadBytes == 144_595_427)
        #expect(s.crc32 == 0xB7EE_280C)
    }

    // wl_check 1 1 / 3 1 / 1 0
    @Test func checksumSmallCasesMatchC() {
        #expect(
            W.checksum(stores: 1, orders: 1)
                == W.Summary(changes: 7, payloadBytes: 1192, memberOrders: 1, crc32: 0x15F9_ECD1))
        #expect(
            W.checksum(stores: 3, orders: 1)
                == W.Summary(changes: 30, payloadBytes: 5104, memberOrders: 2, crc32: 0x777F_C4EB))
        #expect(W.checksum(stores: 1, orders: 0) == W.Summary(changes: 0, payloadBytes: 0, memberOrders: 0, crc32: 0))
    }

    @Test func splitMix64MatchesC() {
        var r = W.SplitMix64(seed: 42)
        // First two outputs for seed 42 (python3 -c "import workload as w; r=w.Rng(42); print(r.next(), r.next())").
        #expect(r.next() == 13_679_457_532_755_275_413)
        #expect(r.next() == 2_949_826_092_126_892_291)
        var b = W.SplitMix64(seed: 42)
        #expect(b.below(1000) == Int(13_679_457_532_755_275_413 % 1000 as UInt64))
    }

    @Test func catalogMatchesC() {
        let p = W.prices()
        #expect(p.count == W.skuCount)
        #expect(p[0] == 7864)
        #expect(p[1] == 5237)
        #expect(p[1999] == 19861)
        #expect(p.allSatisfy { (100..<20_000).contains($0) })
    }

    @Test func firstOrdersOfStoreOneMatchC() {
        let o = W.orders(store: 1, count: 3, prices: W.prices())
        #expect(o.count == 3)
        #expect(o[0].id == "S01-000001")
        #expect(o[0].member == 56427)
        #expect(o[0].memberCode == "M0056427")
        #expect(o[0].lines == [W.Line(sku: 843, qty: 1, unitPrice: 12080), W.Line(sku: 689, qty: 2, unitPrice: 18696)])
        #expect(o[0].method == 0)
        #expect(o[0].methodName == "cash")
        #expect(o[0].total == 49472)
        #expect(o[0].timestampMs == 1_764_057_603_325)
        #expect(o[1].lines.count == 4)
        #expect(o[1].member == 3914)
        #expect(o[1].methodName == "card")
        #expect(o[2].member == nil)
        #expect(o[2].memberCode == nil)
        #expect(o[2].total == 15474)
        #expect(o[2].timestampMs == 1_764_057_608_479)
    }

    @Test func changeRecordsOfFirstOrderMatchC() {
        let orders = W.orders(store: 1, count: 3, prices: W.prices())
        var seq: Int64 = 0
        let c = W.changes(of: orders[0], seq: &seq)
        #expect(seq == 7)
        #expect(c.map(\.seq) == [1, 2, 3, 4, 5, 6, 7])
        #expect(c.map(\.hlc) == (0..<7).map { 115_609_279_091_507_200 + $0 })
        #expect(
            c.map(\.entity) == [
                .orders, .orderItems, .stockLedger, .orderItems, .stockLedger, .payments, .pointsLedger,
            ])
        #expect(
            c.map(\.key) == [
                "S01-000001", "S01-000001#1", "S01-000001#1", "S01-000001#2", "S01-000001#2", "S01-000001",
                "S01-000001",
            ])
        #expect(c.map(\.line) == [0, 1, 1, 2, 2, 0, 0])
        #expect(
            c[0].payload
                == #"{"id":"S01-000001","store":1,"member":"M0056427","status":"paid","currency":"CNY","total":49472,"item_count":2,"discount":0,"channel":"pos","cashier":"C01-2","created_at":1764057603325}"#
        )
        #expect(
            c[1].payload
                == #"{"order_id":"S01-000001","line":1,"sku":"SKU-0843","category":43,"name":"Item 0843","qty":1,"unit_price":12080,"amount":12080,"discount":0,"tax_rate":13,"created_at":1764057603325}"#
        )
        #expect(
            c[2].payload
                == #"{"id":"S01-000001#1","store":1,"warehouse":"W01","sku":"SKU-0843","delta":-1,"reason":"sale","ref_type":"order","ref_id":"S01-000001","created_at":1764057603325}"#
        )
        #expect(
            c[5].payload
                == #"{"id":"PAY-S01-000001","order_id":"S01-000001","method":"cash","amount":49472,"currency":"CNY","status":"captured","terminal":"T01-1","created_at":1764057603325}"#
        )
        #expect(
            c[6].payload
                == #"{"id":"PTS-S01-000001","member":"M0056427","kind":"earn","delta":494,"reason":"order","ref_type":"order","ref_id":"S01-000001","store":1,"created_at":1764057603325}"#
        )
        #expect(
            W.changeLine(origin: 1, c[0])
                == "1|1|115609279091507200|orders|S01-000001|I|" + c[0].payload + "\n"
        )
    }

    @Test func anonymousOrderHasNullMemberAndNoPoints() {
        let orders = W.orders(store: 1, count: 3, prices: W.prices())
        var seq: Int64 = 18
        let c = W.changes(of: orders[2], seq: &seq)
        #expect(seq == 22)
        #expect(c.count == 4)
        #expect(W.pointsPayload(orders[2]) == nil)
        #expect(
            c[0].payload
                == #"{"id":"S01-000003","store":1,"member":null,"status":"paid","currency":"CNY","total":15474,"item_count":1,"discount":0,"channel":"pos","cashier":"C01-1","created_at":1764057608479}"#
        )
    }

    @Test func formattingHelpersMatchPrintf() {
        #expect(W.zeroPadded(7, width: 2) == "07")
        #expect(W.zeroPadded(123, width: 2) == "123")
        #expect(W.zeroPadded(-5, width: 4) == "-005")
        #expect(W.zeroPadded(0, width: 3) == "000")
        #expect(W.orderID(store: 3, number: 42) == "S03-000042")
        #expect(W.skuCode(7) == "SKU-0007")
        #expect(W.memberCode(99_999) == "M0099999")
        #expect(W.crc32("123456789") == 0xCBF4_3926)
        #expect(W.crc32("56789", continuing: W.crc32("1234")) == 0xCBF4_3926)
    }
}
