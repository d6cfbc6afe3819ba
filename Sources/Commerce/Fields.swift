import Replication

/// The fields of use-case requests that errors point at (see ``FieldMessage``), one constant
/// per name so a typo does not compile.
extension Field {
    /// `address`.
    public static let address: Field = "address"
    /// `admin`.
    public static let admin: Field = "admin"
    /// `amount`.
    public static let amount: Field = "amount"
    /// `user`.
    public static let user: Field = "user"
    /// `auto_approve_spend`.
    public static let autoApproveSpend: Field = "auto_approve_spend"
    /// `bank_fee_min`.
    public static let bankFeeMin: Field = "bank_fee_min"
    /// `bank_fee_percent`.
    public static let bankFeePercent: Field = "bank_fee_percent"
    /// `binding`.
    public static let binding: Field = "binding"
    /// `birthday`.
    public static let birthday: Field = "birthday"
    /// `birthday_points`.
    public static let birthdayPoints: Field = "birthday_points"
    /// `by`.
    public static let `by`: Field = "by"
    /// `cap_percent`.
    public static let capPercent: Field = "cap_percent"
    /// `carrier`.
    public static let carrier: Field = "carrier"
    /// `channel`.
    public static let channel: Field = "channel"
    /// `code`.
    public static let code: Field = "code"
    /// `coupon`.
    public static let coupon: Field = "coupon"
    /// `database`.
    public static let database: Field = "database"
    /// `date`.
    public static let date: Field = "date"
    /// `days`.
    public static let days: Field = "days"
    /// `discount`.
    public static let discount: Field = "discount"
    /// `email`.
    public static let email: Field = "email"
    /// `expiry_days`.
    public static let expiryDays: Field = "expiry_days"
    /// `fee_mode`.
    public static let feeMode: Field = "fee_mode"
    /// `fixed_per_item`.
    public static let fixedPerItem: Field = "fixed_per_item"
    /// `fixed_per_order`.
    public static let fixedPerOrder: Field = "fixed_per_order"
    /// `from`.
    public static let `from`: Field = "from"
    /// `give_on_spend`.
    public static let giveOnSpend: Field = "give_on_spend"
    /// `group`.
    public static let group: Field = "group"
    /// `close_days`.
    public static let closeDays: Field = "close_days"
    /// `holders_only`.
    public static let holdersOnly: Field = "holders_only"
    /// `id`.
    public static let id: Field = "id"
    /// `kind`.
    public static let kind: Field = "kind"
    /// `levels`.
    public static let levels: Field = "levels"
    /// `limit`.
    public static let limit: Field = "limit"
    /// `line`.
    public static let line: Field = "line"
    /// `lock_days`.
    public static let lockDays: Field = "lock_days"
    /// `max_levels`.
    public static let maxLevels: Field = "max_levels"
    /// `member`.
    public static let member: Field = "member"
    /// `message`.
    public static let message: Field = "message"
    /// `method`.
    public static let method: Field = "method"
    /// `min`.
    public static let min: Field = "min"
    /// `min_orders`.
    public static let minOrders: Field = "min_orders"
    /// `min_points`.
    public static let minPoints: Field = "min_points"
    /// `min_spend`.
    public static let minSpend: Field = "min_spend"
    /// `name`.
    public static let name: Field = "name"
    /// `note`.
    public static let note: Field = "note"
    /// `older_than`.
    public static let olderThan: Field = "older_than"
    /// `opt_out`.
    public static let optOut: Field = "opt_out"
    /// `parent`.
    public static let parent: Field = "parent"
    /// `payment`.
    public static let payment: Field = "payment"
    /// `pay_ref`.
    public static let payRef: Field = "pay_ref"
    /// `phone`.
    public static let phone: Field = "phone"
    /// `points`.
    public static let points: Field = "points"
    /// `points_multiplier`.
    public static let pointsMultiplier: Field = "points_multiplier"
    /// `price`.
    public static let price: Field = "price"
    /// `quantity`.
    public static let quantity: Field = "quantity"
    /// `reason`.
    public static let reason: Field = "reason"
    /// `region`.
    public static let region: Field = "region"
    /// `rename`.
    public static let rename: Field = "rename"
    /// `restock`.
    public static let restock: Field = "restock"
    /// `retire`.
    public static let retire: Field = "retire"
    /// `role`.
    public static let role: Field = "role"
    /// `share_daily_limit`.
    public static let shareDailyLimit: Field = "share_daily_limit"
    /// `share_points`.
    public static let sharePoints: Field = "share_points"
    /// `sku`.
    public static let sku: Field = "sku"
    /// `spec`.
    public static let spec: Field = "spec"
    /// `spend_save`.
    public static let spendSave: Field = "spend_save"
    /// `status`.
    public static let status: Field = "status"
    /// `tiers`.
    public static let tiers: Field = "tiers"
    /// `fee`.
    public static let fee: Field = "fee"
    /// `thirdparty_fee_percent`.
    public static let thirdpartyFeePercent: Field = "thirdparty_fee_percent"
    /// `to`.
    public static let `to`: Field = "to"
    /// `via`.
    public static let via: Field = "via"
    /// `warehouse`.
    public static let warehouse: Field = "warehouse"
    /// `window_days`.
    public static let windowDays: Field = "window_days"
    /// `pin` (a staff member's PIN).
    public static let pin: Field = "pin"
    /// `new_pin` (the PIN being set).
    public static let newPin: Field = "new_pin"
    /// `till` (an enrolled till's id).
    public static let till: Field = "till"
    /// `till_token` (the token a till was given when enrolled).
    public static let tillToken: Field = "till_token"
    /// `session` (a till session's token).
    public static let session: Field = "session"
    /// `manager` (the user who approves an action above the acting user's limit).
    public static let manager: Field = "manager"
    /// `manager_pin` (that manager's PIN).
    public static let managerPin: Field = "manager_pin"
    /// `tendered` (cash handed over at the counter).
    public static let tendered: Field = "tendered"
    /// `float` (cash in the drawer when a shift opens).
    public static let float: Field = "float"
    /// `counted` (what the cashier counted when closing a shift).
    public static let counted: Field = "counted"
    /// `shift` (a till's shift).
    public static let shift: Field = "shift"
    /// `direction` (cash `in` or `out` of a till's drawer).
    public static let direction: Field = "direction"
    /// `parked` (a sale parked at the till).
    public static let parked: Field = "parked"
}
