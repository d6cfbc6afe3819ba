/// The SQL migrations of a Fenxiao node, embedded in the binary. Append-only: a shipped
/// migration is never edited; a new one gets the next number.
public enum FenxiaoSchema {
    /// `(identifier, sql)` in the order they must run.
    public static let migrations: [(id: String, sql: String)] = [
        ("001_init", String(decoding: PackageResources._01_init_sql, as: UTF8.self)),
        ("002_outbox", String(decoding: PackageResources._02_outbox_sql, as: UTF8.self)),
        ("003_entity_history", String(decoding: PackageResources._03_entity_history_sql, as: UTF8.self)),
        ("004_distribution", String(decoding: PackageResources._04_distribution_sql, as: UTF8.self)),
        (
            "005_stock_levels_watermark",
            String(decoding: PackageResources._05_stock_levels_watermark_sql, as: UTF8.self)
        ),
        ("006_audit", String(decoding: PackageResources._06_audit_sql, as: UTF8.self)),
        ("007_shipping", String(decoding: PackageResources._07_shipping_sql, as: UTF8.self)),
        ("008_payment_reference", String(decoding: PackageResources._08_payment_reference_sql, as: UTF8.self)),
        ("009_line_refunds", String(decoding: PackageResources._09_line_refunds_sql, as: UTF8.self)),
        ("010_apply_checkpoints", String(decoding: PackageResources._10_apply_checkpoints_sql, as: UTF8.self)),
        ("012_conflict_facts", String(decoding: PackageResources._12_conflict_facts_sql, as: UTF8.self)),
        ("013_points_return_once", String(decoding: PackageResources._13_points_return_once_sql, as: UTF8.self)),
        ("014_till", String(decoding: PackageResources._14_till_sql, as: UTF8.self)),
        ("015_shift_links", String(decoding: PackageResources._15_shift_links_sql, as: UTF8.self)),
        ("016_console", String(decoding: PackageResources._16_console_sql, as: UTF8.self)),
        ("017_parked_sales", String(decoding: PackageResources._17_parked_sales_sql, as: UTF8.self)),
        ("018_member_codes", String(decoding: PackageResources._18_member_codes_sql, as: UTF8.self)),
        ("019_mall_shop", String(decoding: PackageResources._19_mall_shop_sql, as: UTF8.self)),
        ("020_mall_payments", String(decoding: PackageResources._20_mall_payments_sql, as: UTF8.self)),
        ("021_member_passwords", String(decoding: PackageResources._21_member_passwords_sql, as: UTF8.self)),
        ("022_stability", String(decoding: PackageResources._22_stability_sql, as: UTF8.self)),
        ("023_displaced_index", String(decoding: PackageResources._23_displaced_index_sql, as: UTF8.self)),
        ("024_hash_folds", String(decoding: PackageResources._24_hash_folds_sql, as: UTF8.self)),
        ("025_stock_bases", String(decoding: PackageResources._25_stock_bases_sql, as: UTF8.self)),
        ("026_member_bases", String(decoding: PackageResources._26_member_bases_sql, as: UTF8.self)),
        (
            "027_snapshot_member_bases",
            String(decoding: PackageResources._27_snapshot_member_bases_sql, as: UTF8.self)
        ),
        (
            "028_global_scope_indexes",
            String(decoding: PackageResources._28_global_scope_indexes_sql, as: UTF8.self)
        ),
        ("029_stock_moves_keyed", String(decoding: PackageResources._29_stock_moves_keyed_sql, as: UTF8.self)),
    ]

    /// Central on PostgreSQL: its migrations, append-only like the SQLite ones (docs/POSTGRES.md).
    public static let postgresMigrations: [(id: String, sql: String)] = [
        ("pg_001_log", String(decoding: PackageResources.pg_001_log_sql, as: UTF8.self)),
        ("pg_002_peers", String(decoding: PackageResources.pg_002_peers_sql, as: UTF8.self)),
        ("pg_003_meta", String(decoding: PackageResources.pg_003_meta_sql, as: UTF8.self)),
    ]

    /// The schema version this binary writes (`PRAGMA user_version`).
    public static var version: Int { migrations.count }

    /// `PRAGMA application_id` of a Fenxiao database ("FXIA").
    public static let applicationID: Int32 = 0x4658_4941
}
