import Replication

/// The `product` register (head office writes it): what the SKUs of one product share — its
/// name, brand, description, media and category path. As a change it is a patch.
public struct ProductRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, brand, description, images, video, category
    }
    public static let kind = EntityKind.product

    public var name: String?
    public var brand: String?
    public var description: String?
    /// Image URLs or file paths, in display order.
    public var images: [String]?
    public var video: String?
    /// The category path (`Drinks/Tea`).
    public var category: String?

    public init(
        name: String? = nil, brand: String? = nil, description: String? = nil, images: [String]? = nil,
        video: String? = nil,
        category: String? = nil
    ) {
        self.name = name
        self.brand = brand
        self.description = description
        self.images = images
        self.video = video
        self.category = category
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        brand = try f.optionalString(.brand)
        description = try f.optionalString(.description)
        if let value = f.value(.images) {
            guard let items = value.arrayValue else { throw f.fail(.images, "must be an array of strings") }
            var images: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw f.fail(.images, "must be an array of strings") }
                images.append(text)
            }
            self.images = images
        }
        video = try f.optionalString(.video)
        category = try f.optionalString(.category)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.brand, brand)
        f.set(.description, description)
        f.set(.images, images.map { JSONValue.array($0.map(JSONValue.string)) })
        f.set(.video, video)
        f.set(.category, category)
    }
}
