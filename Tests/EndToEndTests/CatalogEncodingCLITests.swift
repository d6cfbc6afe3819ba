import FenxiaoTesting
import Foundation
import Testing

/// `catalog import` of the CSV files Excel writes on Chinese Windows (GB18030) and elsewhere
/// (UTF-8, with a byte order mark from "CSV UTF-8"); bytes neither encoding reads are refused
/// with the row and nothing is imported; `catalog export --csv` writes UTF-8 with a mark.
@Suite struct CatalogEncodingCLITests {
    /// 乌龙茶 and 绿茶 in GB18030 (GBK's two-byte codes).
    static let oolong: [UInt8] = [0xCE, 0xDA, 0xC1, 0xFA, 0xB2, 0xE8]
    static let green: [UInt8] = [0xC2, 0xCC, 0xB2, 0xE8]

    static func central(_ dir: TempDirectory) throws -> String {
        let c = dir.sub("c")
        _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", c])
        return c
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func names(_ data: String) throws -> [String: String] {
        let list = try FenxiaoBinary.run(["catalog", "list", "--json", "--data", data])
        let skus = (list.json?["skus"] as? [[String: Any]]) ?? []
        return Dictionary(
            skus.compactMap { s in (s["sku"] as? String).map { ($0, s["name"] as? String ?? "") } },
            uniquingKeysWith: { a, _ in a })
    }

    @Test func gb18030FileImportsChineseNames() throws {
        try withTempDirectory("csvgb") { dir in
            let c = try Self.central(dir)
            let file =
                Array("sku,name,price,category\r\nTEA-01,".utf8) + Self.oolong
                + Array(",12.50,Drinks\r\nTEA-02,\"".utf8) + Self.green + Array(", green\",9.90,\r\n".utf8)
            try Self.write(file, dir.sub("gbk.csv"))
            let imported = try FenxiaoBinary.run(["catalog", "import", dir.sub("gbk.csv"), "--json", "--data", c])
            #expect(imported.json?["imported"] as? Int == 2, "\(imported.stderr)")
            #expect(try Self.names(c) == ["TEA-01": "乌龙茶", "TEA-02": "绿茶, green"])
        }
    }

    @Test(arguments: [false, true])
    func utf8FileImportsWithOrWithoutByteOrderMark(mark: Bool) throws {
        try withTempDirectory("csvutf8") { dir in
            let c = try Self.central(dir)
            let file = (mark ? [0xEF, 0xBB, 0xBF] : []) + Array("sku,name,price\nTEA-01,乌龙茶,12.50\n".utf8)
            try Self.write(file, dir.sub("utf8.csv"))
            let imported = try FenxiaoBinary.run(["catalog", "import", dir.sub("utf8.csv"), "--json", "--data", c])
            #expect(imported.json?["imported"] as? Int == 1, "\(imported.stderr)")
            #expect(try Self.names(c) == ["TEA-01": "乌龙茶"])
        }
    }

    @Test func invalidBytesAreRefusedWithTheRowAndNothingIsImported() throws {
        try withTempDirectory("csvbad") { dir in
            let c = try Self.central(dir)
            try Self.write(Array("sku,name,price\nOLD-1,Old,1.00\n".utf8), dir.sub("old.csv"))
            _ = try FenxiaoBinary.run(["catalog", "import", dir.sub("old.csv"), "--data", c])
            let before = try FenxiaoBinary.run(["status", "--json", "--data", c]).json?["state_hash"] as? String
            // Row 1 is GB18030; row 2 holds 0xFF, a byte neither UTF-8 nor GB18030 has.
            let file =
                Array("sku,name,price\nTEA-01,".utf8) + Self.oolong + Array(",12.50\nTEA-02,".utf8) + [0xFF]
                + Array(",1.00\n".utf8)
            try Self.write(file, dir.sub("bad.csv"))
            let refused = try FenxiaoBinary.run(["catalog", "import", dir.sub("bad.csv"), "--data", c])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("neither UTF-8 nor GB18030"), "\(refused.stderr)")
            #expect(refused.stderr.contains("row 2"))
            #expect(refused.stderr.contains("line 3"))
            #expect(refused.stderr.contains("CSV UTF-8"))
            #expect(!refused.stderr.contains("\u{FFFD}"))
            let after = try FenxiaoBinary.run(["status", "--json", "--data", c]).json?["state_hash"] as? String
            #expect(before != nil && before == after, "nothing was imported")
            #expect(try Self.names(c) == ["OLD-1": "Old"])
        }
    }

    @Test func encodingOptionOverridesDetection() throws {
        try withTempDirectory("csvopt") { dir in
            let c = try Self.central(dir)
            try Self.write(
                Array("sku,name,price\nTEA-01,".utf8) + Self.oolong + Array(",12.50\n".utf8), dir.sub("g.csv"))
            let asUTF8 = try FenxiaoBinary.run([
                "catalog", "import", dir.sub("g.csv"), "--encoding", "utf8", "--data", c,
            ])
            #expect(asUTF8.status == 2)
            #expect(
                asUTF8.stderr.contains("is not UTF-8 text: byte 22 (row 1, line 2: CE DA C1 FA)"), "\(asUTF8.stderr)")
            #expect(try Self.names(c).isEmpty)
            let asGB = try FenxiaoBinary.run([
                "catalog", "import", dir.sub("g.csv"), "--encoding", "gb18030", "--json", "--data", c,
            ])
            #expect(asGB.json?["imported"] as? Int == 1, "\(asGB.stderr)")
            #expect(try Self.names(c) == ["TEA-01": "乌龙茶"])
        }
    }

    @Test func exportWritesAByteOrderMarkAndRoundTripsChineseNames() throws {
        try withTempDirectory("csvexp") { dir in
            let c = try Self.central(dir)
            try Self.write(
                Array("sku,name,price,category\nTEA-01,\"乌龙茶, \"\"特级\"\"\",12.50,茶/乌龙\nTEA-02,绿茶,9.90,\n".utf8),
                dir.sub("in.csv"))
            _ = try FenxiaoBinary.run(["catalog", "import", dir.sub("in.csv"), "--data", c])
            let exported = try FenxiaoBinary.run(["catalog", "export", dir.sub("out.csv"), "--data", c])
            #expect(exported.status == 0, "\(exported.stderr)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.sub("out.csv"))))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF, 0x73, 0x6B, 0x75]), "BOM then the header")
            let d = dir.sub("d")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", d])
            let again = try FenxiaoBinary.run(["catalog", "import", dir.sub("out.csv"), "--json", "--data", d])
            #expect(again.json?["imported"] as? Int == 2, "\(again.stderr)")
            #expect(try Self.names(d) == ["TEA-01": "乌龙茶, \"特级\"", "TEA-02": "绿茶"])
        }
    }
}
