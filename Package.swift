// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "fenxiao",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fenxiao", targets: ["fenxiao"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        // SQL migrations, embedded in the binary.
        .target(
            name: "FenxiaoSchema",
            path: "schema",
            exclude: [],
            resources: [
                .embedInCode("001_init.sql"), .embedInCode("002_outbox.sql"), .embedInCode("003_entity_history.sql"),
                .embedInCode("004_distribution.sql"), .embedInCode("005_stock_levels_watermark.sql"),
                .embedInCode("006_audit.sql"), .embedInCode("007_shipping.sql"),
                .embedInCode("008_payment_reference.sql"),
                .embedInCode("009_line_refunds.sql"), .embedInCode("010_apply_checkpoints.sql"),
                .embedInCode("012_conflict_facts.sql"),
                .embedInCode("013_points_return_once.sql"),
                .embedInCode("014_till.sql"),
                .embedInCode("015_shift_links.sql"),
                .embedInCode("016_console.sql"),
                .embedInCode("017_parked_sales.sql"),
                .embedInCode("018_member_codes.sql"),
                .embedInCode("019_mall_shop.sql"),
                .embedInCode("020_mall_payments.sql"),
                .embedInCode("021_member_passwords.sql"),
                .embedInCode("022_stability.sql"),
                .embedInCode("023_displaced_index.sql"),
                .embedInCode("024_hash_folds.sql"),
                .embedInCode("025_stock_bases.sql"),
                .embedInCode("026_member_bases.sql"),
                .embedInCode("027_snapshot_member_bases.sql"),
                .embedInCode("028_global_scope_indexes.sql"),
                .embedInCode("029_stock_moves_keyed.sql"),
                // Central on PostgreSQL (docs/POSTGRES.md): its own append-only migrations.
                .embedInCode("postgres/pg_001_log.sql"), .embedInCode("postgres/pg_002_peers.sql"),
                .embedInCode("postgres/pg_003_meta.sql"),
            ],
            swiftSettings: strict
        ),
        .target(name: "Replication", swiftSettings: strict),
        .target(name: "Commerce", dependencies: ["Replication"], swiftSettings: strict),
        // Delivery orders and seeds for the merge rules' property tests (test-only).
        .target(
            name: "Storage",
            dependencies: [
                "Replication", "Commerce", "FenxiaoSchema", "CWalWrites",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API for the apply path's hot statements (`SQLStep.swift`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // A VFS over SQLite's default that writes each WAL commit in one system call
        // (Sources/CWalWrites/wal_writes.c; system libsqlite3).
        .target(name: "CWalWrites", linkerSettings: [.linkedLibrary("sqlite3")]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        // Child processes for tests and benchmarks (posix_spawn; Foundation's Process can crash
        // the parent on Linux: Sources/Spawn/SpawnedProcess.swift).
        .target(name: "CSpawn"),
        .target(name: "Spawn", dependencies: ["CSpawn"], swiftSettings: strict),
        // libpq (Debian libpq-dev): central's PostgreSQL backend (docs/POSTGRES.md).
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq"),
        .target(
            name: "PostgresCentral", dependencies: ["CPostgres", "Replication", "Storage", "FenxiaoSchema"],
            swiftSettings: strict),
        // Zint (Debian libzint-dev): Code 128 barcodes of order ids on till receipts.
        .systemLibrary(name: "CZint", path: "Sources/CZint"),
        .target(
            name: "SyncClient",
            dependencies: [
                "CCurl", "Replication", "Node", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "Node",
            dependencies: [
                "Storage", "Commerce", "Replication", "PostgresCentral",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Server",
            dependencies: [
                "Node", "CZint", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The till's script and style sheet, served from the binary (no CDN, no files to install).
            resources: [
                .embedInCode("Till/Assets/till.js"), .embedInCode("Till/Assets/till.css"),
                // The head-office console's templates and style sheet.
                .embedInCode("Console/Templates/layout.mustache"), .embedInCode("Console/Templates/login.mustache"),
                .embedInCode("Console/Templates/message.mustache"),
                .embedInCode("Console/Templates/dashboard.mustache"),
                .embedInCode("Console/Templates/conflicts.mustache"),
                .embedInCode("Console/Templates/applications.mustache"),
                .embedInCode("Console/Templates/withdrawals.mustache"),
                .embedInCode("Console/Templates/products.mustache"), .embedInCode("Console/Templates/product.mustache"),
                .embedInCode("Console/Templates/product_new.mustache"),
                .embedInCode("Console/Templates/categories.mustache"),
                .embedInCode("Console/Templates/marketing.mustache"),
                .embedInCode("Console/Templates/inventory.mustache"),
                .embedInCode("Console/Templates/inventory_history.mustache"),
                .embedInCode("Console/Templates/orders.mustache"), .embedInCode("Console/Templates/order.mustache"),
                .embedInCode("Console/Templates/refunds.mustache"),
                .embedInCode("Console/Templates/table.mustache"), .embedInCode("Console/Templates/reports.mustache"),
                .embedInCode("Console/Templates/members.mustache"), .embedInCode("Console/Templates/member.mustache"),
                .embedInCode("Console/Templates/distributors.mustache"),
                .embedInCode("Console/Templates/distributor.mustache"),
                .embedInCode("Console/Templates/commissions.mustache"),
                .embedInCode("Console/Templates/console.css"),
                // The members' mall's templates and style sheet.
                .embedInCode("Mall/Templates/mall_layout.mustache"), .embedInCode("Mall/Templates/mall_login.mustache"),
                .embedInCode("Mall/Templates/mall_me.mustache"), .embedInCode("Mall/Templates/mall_message.mustache"),
                .embedInCode("Mall/Templates/mall.css"),
                .embedInCode("Mall/Templates/mall_shop_home.mustache"),
                .embedInCode("Mall/Templates/mall_shop_categories.mustache"),
                .embedInCode("Mall/Templates/mall_shop_list.mustache"),
                .embedInCode("Mall/Templates/mall_product.mustache"),
                .embedInCode("Mall/Templates/mall_cart.mustache"),
                .embedInCode("Mall/Templates/mall_checkout.mustache"),
                .embedInCode("Mall/Templates/mall_addresses.mustache"),
                .embedInCode("Mall/Templates/mall_shop_item.mustache"),
                .embedInCode("Mall/Templates/mall_cart_explain.mustache"),
                .embedInCode("Mall/Templates/mall_order_list.mustache"),
                .embedInCode("Mall/Templates/mall_order.mustache"),
                .embedInCode("Mall/Templates/mall_order_pay.mustache"),
                .embedInCode("Mall/Templates/mall_pay_sandbox.mustache"),
                .embedInCode("Mall/Templates/mall_order_countdown.js"),
                .embedInCode("Mall/Templates/mall_checkin.mustache"),
                .embedInCode("Mall/Templates/mall_points.mustache"),
                .embedInCode("Mall/Templates/mall_coupons.mustache"),
                .embedInCode("Mall/Templates/mall_level.mustache"),
                .embedInCode("Mall/Templates/mall_wallet.mustache"),
                // The distributor pages.
                .embedInCode("Mall/Templates/mall_distributor.mustache"),
                .embedInCode("Mall/Templates/mall_distributor_link.mustache"),
                .embedInCode("Mall/Templates/mall_distributor_team.mustache"),
                .embedInCode("Mall/Templates/mall_distributor_commissions.mustache"),
                .embedInCode("Mall/Templates/mall_distributor_statement.mustache"),
                .embedInCode("Mall/Templates/mall_distributor_withdraw.mustache"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fenxiao",
            dependencies: [
                "Node", "Server", "SyncClient", "Spawn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FenxiaoTesting",
            dependencies: [
                "Node", "Storage", "Replication", "Commerce", "SyncClient", "Spawn",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReplicationTests",
            dependencies: [
                "Replication", "FenxiaoTesting", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CommerceTests", dependencies: ["Commerce", "Replication", "FenxiaoTesting"], swiftSettings: strict),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "Commerce", "FenxiaoTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                // SQLite's C API: a connection on a chosen VFS (WALWritesTests).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SyncClientTests",
            dependencies: ["SyncClient", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "FenxiaoTesting", "SyncClient", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NodeTests", dependencies: ["Node", "FenxiaoTesting", "PostgresCentral"], swiftSettings: strict),
        .testTarget(
            name: "PostgresCentralTests",
            dependencies: ["PostgresCentral", "FenxiaoTesting", "Replication", "Storage"],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["fenxiao", "FenxiaoTesting", "SyncClient", "Commerce", "PostgresCentral", "Spawn"],
            swiftSettings: strict
        ),
    ]
)
