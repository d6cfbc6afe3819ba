import Commerce
import Replication

/// How the CLI names a request field: as the flag that sets it.
extension Field {
    /// Fields whose flag is not `--` + the name with `-` for `_`.
    static let flagOverrides: [Field: String] = [.payment: "--pay", .quantity: "--qty", .user: "--as"]

    /// The flag that sets this field: `pay_ref` → `--pay-ref`, `payment` → `--pay`.
    var flag: String { Self.flagOverrides[self] ?? "--" + rawValue.replacingOccurrences(of: "_", with: "-") }
}
