extension JSONParser {
    /// Parses a JSON object stored by this node (register fields, change fields).
    public static func fields(_ text: String) throws -> Fields {
        var text = text
        let value = try text.withUTF8 { try JSONParser().parse(UnsafeRawBufferPointer($0)) }
        guard case .object(let fields) = value else {
            throw JSONParseError(offset: 0, message: "expected a JSON object")
        }
        return fields
    }

    /// Parses a version vector stored by this node.
    public static func versionVector(_ text: String) throws -> VersionVector {
        var text = text
        let value = try text.withUTF8 { try JSONParser().parse(UnsafeRawBufferPointer($0)) }
        return try ChangeRecord.versionVector(value)
    }
}
