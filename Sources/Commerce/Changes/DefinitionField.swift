import Foundation
import Replication

/// A promotion's or coupon's full definition, kept in its register's `definition` field as
/// JSON with sorted keys, so every node stores the same bytes.
public func definitionField<T: Encodable>(_ value: T) throws -> JSONValue {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try JSONParser().parse(Array(try encoder.encode(value)))
}

/// The value a `definition` field holds, or nil when it is not one.
func decodeDefinition<T: Decodable>(_ definition: JSONValue, as type: T.Type) -> T? {
    try? JSONDecoder().decode(type, from: Data(definition.canonicalText.utf8))
}
