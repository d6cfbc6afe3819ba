import Commerce
import FenxiaoTesting
import Replication
import Testing

/// The register payloads (members, users, settings, distribution, catalog…): random patches
/// read back as written, and each use case's patch keeps the bytes it wrote before payloads
/// existed (the keys, and `null` where it cleared a field).
@Suite struct RegisterPayloadTests {
    static func text(_ rng: inout SplitMix64, _ prefix: String) -> String { "\(prefix)-\(rng.next() % 1000)" }
    static func maybe(_ rng: inout SplitMix64, _ prefix: String) -> String? {
        rng.next() % 2 == 0 ? nil : text(&rng, prefix)
    }
    static func int(_ rng: inout SplitMix64) -> Int64? { rng.next() % 2 == 0 ? nil : Int64(rng.next() % 1_000_000) }
    static func money(_ rng: inout SplitMix64) -> Money? { int(&rng).map(Money.init(cents:)) }
    static func flag(_ rng: inout SplitMix64) -> Bool? { rng.next() % 3 == 0 ? nil : rng.next() % 2 == 0 }
    static func pick<E: CaseIterable>(_ rng: inout SplitMix64, _: E.Type) -> E?
    where E.AllCases: RandomAccessCollection {
        rng.next() % 3 == 0 ? nil : E.allCases.randomElement(using: &rng)
    }
    /// Some of `fields`, to clear; only fields the patch does not also set.
    static func cleared<F: CaseIterable & Hashable>(_ rng: inout SplitMix64, _ payload: [String: JSONValue], _: F.Type)
        -> Set<F>
    where F: RawRepresentable<String> {
        Set(F.allCases.filter { payload[$0.rawValue] == nil && rng.next() % 4 == 0 })
    }
    static func canonical(_ fields: Fields) -> String { JSONValue.object(fields).canonicalText }

    @Test(arguments: 0..<200 as Range<UInt64>)
    func randomRegisterPatchesRoundTrip(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let warehouse = WarehouseRegister(owner: Self.maybe(&rng, "s"), name: Self.maybe(&rng, "仓"))
        #expect(try WarehouseRegister(fields: warehouse.fields) == warehouse)
        var category = CategoryRegister(
            name: Self.maybe(&rng, "茶"), parent: Self.maybe(&rng, "Drinks"), retired: Self.flag(&rng))
        category.cleared = Self.cleared(&rng, category.fields, CategoryRegister.Field.self)
        #expect(try CategoryRegister(fields: category.fields) == category)
        let product = ProductRegister(
            name: Self.maybe(&rng, "P"), brand: Self.maybe(&rng, "B"), description: Self.maybe(&rng, "d"),
            images: rng.next() % 2 == 0 ? nil : [Self.text(&rng, "img"), Self.text(&rng, "img")],
            video: Self.maybe(&rng, "v"),
            category: Self.maybe(&rng, "Drinks/Tea"))
        #expect(try ProductRegister(fields: product.fields) == product)
        var level = MemberLevelRegister(
            name: Self.maybe(&rng, "金卡"), minPoints: Self.int(&rng), pointsMultiplierPercent: Self.int(&rng),
            discountPercent: Self.int(&rng), freeShipping: Self.flag(&rng), birthdayPoints: Self.int(&rng),
            birthdayCoupon: Self.maybe(&rng, "C"), minSpend: Self.money(&rng))
        level.cleared = Self.cleared(&rng, level.fields, MemberLevelRegister.Field.self)
        #expect(try MemberLevelRegister(fields: level.fields) == level)
        var group = MemberGroupRegister(
            name: Self.maybe(&rng, "G"), minSpend: Self.money(&rng), minOrders: Self.int(&rng), days: Self.int(&rng),
            region: Self.maybe(&rng, "浙江"))
        group.cleared = Self.cleared(&rng, group.fields, MemberGroupRegister.Field.self)
        #expect(try MemberGroupRegister(fields: group.fields) == group)
        let user = UserRegister(
            name: Self.maybe(&rng, "u"), role: Self.pick(&rng, Role.self), store: Self.maybe(&rng, "s"),
            phone: Self.maybe(&rng, "138"), email: Self.maybe(&rng, "a@b"), address: Self.maybe(&rng, "addr"),
            birthday: Self.maybe(&rng, "1990-05"), registeredAtMillis: Self.int(&rng), disabled: Self.flag(&rng))
        #expect(try UserRegister(fields: user.fields) == user)
        var distributor = DistributorRegister(
            member: Self.maybe(&rng, "m"), status: Self.pick(&rng, DistributorRegister.Status.self),
            referralCode: Self.maybe(&rng, "RC"), appliedAtMillis: Self.int(&rng), channels: Self.maybe(&rng, "Douyin"),
            experience: Self.maybe(&rng, "e"), inviter: Self.maybe(&rng, "m"), reason: Self.maybe(&rng, "r"),
            reviewedAtMillis: Self.int(&rng), group: Self.maybe(&rng, "gold"))
        distributor.cleared = Self.cleared(&rng, distributor.fields, DistributorRegister.Field.self)
        #expect(try DistributorRegister(fields: distributor.fields) == distributor)
        let binding = BindingRegister(
            distributor: Self.maybe(&rng, "m"), boundAtMillis: Self.int(&rng), lockUntilMillis: Self.int(&rng),
            via: Self.pick(&rng, BindingRegister.Via.self), order: Self.maybe(&rng, "O"))
        #expect(try BindingRegister(fields: binding.fields) == binding)
        var at: [WithdrawalRegister.Status: Int64] = [:]
        for status in WithdrawalRegister.Status.allCases where rng.next() % 3 == 0 {
            at[status] = Int64(rng.next() % 1_000_000)
        }
        let withdrawal = WithdrawalRegister(
            distributor: Self.maybe(&rng, "m"), amount: Self.money(&rng), fee: Self.money(&rng),
            feeMode: Self.pick(&rng, WithdrawalFeeMode.self), method: Self.pick(&rng, WithdrawalRegister.Method.self),
            status: Self.pick(&rng, WithdrawalRegister.Status.self), at: at, reference: Self.maybe(&rng, "ref"),
            reason: Self.maybe(&rng, "r"))
        #expect(try WithdrawalRegister(fields: withdrawal.fields) == withdrawal)
        var request = RefundRequestRegister(
            order: Self.maybe(&rng, "O"), amount: Self.money(&rng), restock: Self.flag(&rng),
            reason: Self.maybe(&rng, "r"),
            status: Self.pick(&rng, RefundRequestRegister.Status.self), decidedBy: Self.maybe(&rng, "u"),
            note: Self.maybe(&rng, "n"))
        request.cleared = Self.cleared(&rng, request.fields, RefundRequestRegister.Field.self)
        #expect(try RefundRequestRegister(fields: request.fields) == request)
        let note = ConflictNoteRegister(
            status: Self.pick(&rng, ConflictNoteRegister.Status.self), note: Self.maybe(&rng, "n"))
        #expect(try ConflictNoteRegister(fields: note.fields) == note)
        let member = MemberRegister(
            name: Self.maybe(&rng, "张"), phone: Self.maybe(&rng, "138"), region: Self.maybe(&rng, "浙江"),
            optOut: Self.flag(&rng),
            registeredAtMillis: Self.int(&rng), home: Self.maybe(&rng, "s"), lastLoginAtMillis: Self.int(&rng))
        #expect(try MemberRegister(fields: member.fields) == member)
        let contact = MemberContactRegister(
            email: Self.maybe(&rng, "a@b"), address: Self.maybe(&rng, "addr"), birthday: Self.maybe(&rng, "05-17"))
        #expect(try MemberContactRegister(fields: contact.fields) == contact)
    }

    @Test(arguments: 0..<100 as Range<UInt64>)
    func randomSettingsRoundTrip(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var distribution = SettingRegister.Distribution(
            lockDays: Self.int(&rng), binding: Self.pick(&rng, SettingRegister.Distribution.Binding.self),
            autoApproveSpend: Self.money(&rng), maxLevels: Self.int(&rng))
        distribution.cleared = Self.cleared(&rng, distribution.fields, SettingRegister.Distribution.Field.self)
        #expect(try SettingRegister.Distribution(fields: distribution.fields) == distribution)
        let withdrawal = SettingRegister.Withdrawal(
            minimum: Self.money(&rng), bankFeeBps: Self.int(&rng), bankFeeMinimum: Self.money(&rng),
            thirdpartyFeeBps: Self.int(&rng), feeMode: Self.pick(&rng, WithdrawalFeeMode.self))
        #expect(try SettingRegister.Withdrawal(fields: withdrawal.fields) == withdrawal)
        var points = SettingRegister.Points(
            capPercent: Self.int(&rng), expiryDays: Self.int(&rng), sharePoints: Self.int(&rng),
            shareDailyLimit: Self.int(&rng))
        points.cleared = Self.cleared(&rng, points.fields, SettingRegister.Points.Field.self)
        #expect(try SettingRegister.Points(fields: points.fields) == points)
        let tiers = (0..<Int(rng.next() % 4)).map { _ in
            TopupBonus(threshold_cents: Int64(rng.next() % 100_000), bonus_cents: Int64(rng.next() % 10_000))
        }
        let topup = SettingRegister.Topup(tiers: rng.next() % 4 == 0 ? nil : tiers)
        #expect(try SettingRegister.Topup(fields: topup.fields) == topup)
        let shipping = SettingRegister.Shipping(fee: Self.money(&rng))
        #expect(try SettingRegister.Shipping(fields: shipping.fields) == shipping)
        var catalog = SettingRegister.PointsCatalog()
        for i in 0..<Int(rng.next() % 5) {
            if rng.next() % 3 == 0 {
                catalog.removed.insert("coupon:C\(i)")
            } else {
                catalog.listed["sku:S\(i)"] = Int64(rng.next() % 9999) + 1
            }
        }
        #expect(try SettingRegister.PointsCatalog(fields: catalog.fields) == catalog)
    }

    /// Each use case's patch, byte for byte as it was written with string keys.
    @Test func patchesKeepTheWireShape() {
        #expect(
            Self.canonical(WarehouseRegister(owner: "central", name: "W9").fields)
                == #"{"name":"W9","owner":"central"}"#)
        #expect(
            Self.canonical(CategoryRegister.created(name: "Drinks", parent: nil).fields)
                == #"{"name":"Drinks","parent":null,"retired":false}"#)
        #expect(
            Self.canonical(CategoryRegister.created(name: "Tea", parent: "Drinks").fields)
                == #"{"name":"Tea","parent":"Drinks","retired":false}"#)
        #expect(Self.canonical(CategoryRegister(retired: true).fields) == #"{"retired":true}"#)
        #expect(
            Self.canonical(ProductRegister(name: "茶", images: ["a.jpg"], category: "Drinks/Tea").fields)
                == #"{"category":"Drinks/Tea","images":["a.jpg"],"name":"茶"}"#)
        #expect(
            Self.canonical(
                MemberLevelRegister.definition(
                    name: "金卡", minPoints: 1000, pointsMultiplierPercent: 150, discountPercent: 5, freeShipping: true,
                    birthdayPoints: 0, birthdayCoupon: nil, minSpend: .zero
                ).fields)
                == #"{"birthday_coupon":null,"birthday_points":0,"discount_percent":5,"free_shipping":true,"min_points":1000,"min_spend_cents":0,"name":"金卡","points_multiplier":150}"#
        )
        #expect(
            Self.canonical(
                MemberGroupRegister.definition(
                    name: "VIP", minSpend: Money(cents: 200_000), minOrders: 2, days: 90, region: nil
                ).fields)
                == #"{"days":90,"min_orders":2,"min_spend_cents":200000,"name":"VIP","region":null}"#)
        #expect(
            Self.canonical(SettingRegister.Distribution(lockDays: 30, cleared: [.autoApproveSpend]).fields)
                == #"{"auto_approve_spend_cents":null,"lock_days":30}"#)
        #expect(Self.canonical(SettingRegister.Withdrawal(feeMode: .onTop).fields) == #"{"fee_mode":"on_top"}"#)
        #expect(Self.canonical(SettingRegister.Points(cleared: [.expiryDays]).fields) == #"{"expiry_days":null}"#)
        #expect(
            Self.canonical(
                SettingRegister.Topup(tiers: [TopupBonus(threshold_cents: 50_000, bonus_cents: 5_000)]).fields)
                == #"{"bonus":[[50000,5000]]}"#)
        #expect(Self.canonical(SettingRegister.Shipping(fee: Money(cents: 800)).fields) == #"{"fee_cents":800}"#)
        #expect(Self.canonical(SettingRegister.PointsCatalog(removed: ["sku:TEA"]).fields) == #"{"sku:TEA":null}"#)
        #expect(
            Self.canonical(UserRegister(name: "王", role: .storeManager, store: "s1", registeredAtMillis: 5).fields)
                == #"{"name":"王","registered_at":5,"role":"store_manager","store":"s1"}"#)
        #expect(Self.canonical(DistributorRegister.grouped(nil).fields) == #"{"group":null}"#)
        #expect(
            Self.canonical(
                DistributorRegister(member: "m1", status: .applied, referralCode: "RC-m1", appliedAtMillis: 7).fields)
                == #"{"applied_at":7,"member":"m1","referral_code":"RC-m1","status":"applied"}"#)
        #expect(
            Self.canonical(
                BindingRegister(
                    distributor: "d1", boundAtMillis: 1, lockUntilMillis: 2, via: .firstPurchase, order: "O"
                ).fields)
                == #"{"bound_at":1,"distributor":"d1","lock_until":2,"order":"O","via":"first_purchase"}"#)
        #expect(
            Self.canonical(
                WithdrawalRegister(
                    distributor: "d1", amount: Money(cents: 5000), fee: Money(cents: 100), feeMode: .deducted,
                    method: .storedValue,
                    status: .requested, at: [.requested: 3]
                ).fields)
                == #"{"amount_cents":5000,"distributor":"d1","fee_cents":100,"fee_mode":"deducted","method":"stored_value","requested_at":3,"status":"requested"}"#
        )
        #expect(
            Self.canonical(WithdrawalRegister.step(.paid, atMillis: 9, reference: "TX").fields)
                == #"{"paid_at":9,"reference":"TX","status":"paid"}"#)
        #expect(
            Self.canonical(RefundRequestRegister.request(order: "O-1", amount: nil, restock: true, reason: nil).fields)
                == #"{"amount_cents":null,"order":"O-1","reason":null,"restock":true,"status":"requested"}"#)
        #expect(
            Self.canonical(RefundRequestRegister(status: .approved, decidedBy: "boss").fields)
                == #"{"decided_by":"boss","status":"approved"}"#)
        #expect(Self.canonical(ConflictNoteRegister.resolved("ok").fields) == #"{"note":"ok","status":"resolved"}"#)
        #expect(
            Self.canonical(MemberRegister(name: "张三", registeredAtMillis: 4, home: "s1").fields)
                == #"{"home":"s1","name":"张三","registered_at":4}"#)
        #expect(Self.canonical(MemberRegister(lastLoginAtMillis: 8).fields) == #"{"last_login_at":8}"#)
        #expect(Self.canonical(MemberContactRegister(birthday: "05-17").fields) == #"{"birthday":"05-17"}"#)
    }

    /// Merged registers read back as values: defaults where a field is absent, the latest step's instant.
    @Test func mergedRegistersReadAsValues() throws {
        let request = WithdrawalRegister(
            distributor: "d1", amount: Money(cents: 5000), fee: Money(cents: 100), method: .bank, status: .requested,
            at: [.requested: 3])
        let merged = request.fields.merging(WithdrawalRegister.step(.approved, atMillis: 5).fields) { $1 }
        let w = try WithdrawalRegister(fields: merged)
        #expect(w.status == .approved && w.at == [.requested: 3, .approved: 5])
        #expect(
            w.split == WithdrawalSplit(amount: 5000, fee: 100, mode: .onTop),
            "a record without fee_mode had its fee on top")
        var rules = WithdrawalRules()
        rules.min_cents = 2000
        #expect(SettingRegister.Withdrawal(minimum: Money(cents: 2000)).rules == rules)
        #expect(try SettingRegister.Points(fields: [:]) == SettingRegister.Points())
        #expect(MemberContactRegister(birthday: "1990-05-17").isBirthday("05-17"))
        #expect(MemberContactRegister.member(ofEntity: "m1@s1") == "m1")
        #expect(MemberContactRegister.entity(member: "m1", node: .central) == "m1@central")
    }

    @Test func aMistypedRegisterFieldIsNamed() {
        #expect(
            throws: PayloadError(
                kind: .withdrawal, field: "method", problem: "'cheque' is not one of the allowed values")
        ) {
            try WithdrawalRegister(fields: ["method": "cheque"])
        }
        #expect(throws: PayloadError(kind: .user, field: "role", problem: "'king' is not one of the allowed values")) {
            try UserRegister(fields: ["role": "king"])
        }
        #expect(throws: PayloadError(kind: .member, field: "opt_out", problem: "must be true, false or null")) {
            try MemberRegister(fields: ["opt_out": "yes"])
        }
        #expect(
            throws: PayloadError(
                kind: .setting, field: "bonus", problem: "must be a list of [threshold, bonus] pairs in fen")
        ) {
            try SettingRegister.Topup(fields: ["bonus": .array([.int(1)])])
        }
        #expect(throws: PayloadError(kind: .setting, field: "sku:TEA", problem: "must be a price in points or null")) {
            try SettingRegister.PointsCatalog(fields: ["sku:TEA": "many"])
        }
        #expect(throws: PayloadError(kind: .product, field: "images", problem: "must be an array of strings")) {
            try ProductRegister(fields: ["images": .array([.int(1)])])
        }
    }
}
