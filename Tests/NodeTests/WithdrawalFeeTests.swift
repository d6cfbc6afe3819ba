import Commerce
import FenxiaoTesting
import Node
import Replication
import Testing

/// Issue 14, defect 8: by default a withdrawal's fee comes out of the amount (received =
/// amount − fee, as CRMEB and likeshop pay out), so the whole available balance can be
/// withdrawn; "fee on top" stays a setting.
@Suite struct WithdrawalFeeTests {
    @Test func theSplitAlwaysBalances() {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed)
            var rules = WithdrawalRules()
            rules.bank_fee_bps = rng.int64(0...2000)
            rules.bank_fee_min_cents = rng.int64(0...2000)
            rules.thirdparty_fee_bps = rng.int64(0...2000)
            rules.fee_mode = rng.pick(WithdrawalFeeMode.allCases)
            let amount = rng.int64(1...10_000_000)
            let method = rng.pick(WithdrawalRules.methods)
            guard let split = rules.split(amount: amount, method: method) else {
                Issue.record("seed \(seed): \(method) has no fee")
                continue
            }
            #expect(split.received + split.fee == split.debited, "seed \(seed)")
            #expect(split.fee == rules.fee(amount: amount, method: method), "seed \(seed)")
            switch rules.fee_mode {
            case .deducted: #expect(split.debited == amount, "seed \(seed)")
            case .onTop: #expect(split.received == amount, "seed \(seed)")
            }
        }
        #expect(WithdrawalRules().fee_mode == .deducted)
    }

    @Test func theWholeBalanceCanBeWithdrawnByDefault() throws {
        try withTempDirectory("wfee") { dir in
            let central = try DistributionTests.chain(dir, levels: [10])
            // C earns ¥18.00
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 4)], member: "M9", pay: .card))
            #expect(try central.distribution.commissionAccount("C").balance_cents == 1800)
            let w = try central.distribution.requestWithdrawal(
                distributor: "C", amount: Money(cents: 1800), method: .bank)
            #expect([w.amount_cents, w.fee_cents, w.received_cents, w.debited_cents] == [1800, 100, 1700, 1800])
            #expect(w.fee_mode == .deducted)
            #expect(try central.distribution.commissionAccount("C").balance_cents == 0)
            _ = try central.distribution.settleWithdrawal(id: w.id, to: .rejected, reference: nil, reason: "test")
            // Fee on top, as before: the whole balance plus a fee is more than the balance.
            let rules = try central.distribution.setWithdrawalRules(
                minimum: nil, bankFeePercent: nil, bankFeeMinimum: nil, thirdpartyFeePercent: nil, feeMode: .onTop)
            #expect(rules.fee_mode == .onTop)
            let refused = #expect(throws: NodeError.self) {
                try central.distribution.requestWithdrawal(distributor: "C", amount: Money(cents: 1800), method: .bank)
            }
            #expect(refused?.message.contains("¥18.00 + fee ¥1.00 is more") == true)
            let onTop = try central.distribution.requestWithdrawal(
                distributor: "C", amount: Money(cents: 1700), method: .bank)
            #expect([onTop.received_cents, onTop.debited_cents] == [1700, 1800])
            #expect(try central.distribution.commissionAccount("C").balance_cents == 0)
            // An unknown fee mode cannot reach the use case (typed); the CLI refuses `--fee-mode both`
            // with exit 2 (CLIErrorTests).
        }
    }

    @Test func aStoredValuePayoutCreditsWhatIsReceived() throws {
        try withTempDirectory("wfeesv") { dir in
            let central = try DistributionTests.chain(dir, levels: [10])
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 4)], member: "M9", pay: .card))
            let w = try central.distribution.requestWithdrawal(
                distributor: "C", amount: Money(cents: 1800), method: .storedValue)
            _ = try central.distribution.settleWithdrawal(id: w.id, to: .approved, reference: nil, reason: nil)
            _ = try central.distribution.settleWithdrawal(id: w.id, to: .paid, reference: nil, reason: nil)
            #expect(try central.members.find("C").wallet_cents == w.received_cents)
        }
    }

    /// Random withdrawals under randomly changed fee settings: each is accepted exactly when
    /// what it debits fits the balance, received + fee == debited, and the balance never goes
    /// below zero.
    @Test func randomWithdrawalsNeverTakeMoreThanIsAvailable() throws {
        try withTempDirectory("wfeeprop") { dir in
            let central = try DistributionTests.chain(dir, levels: [10])
            // C earns ¥180.00
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 40)], member: "M9", pay: .card))
            var rng = SplitMix64(seed: propertySeeds.first ?? 1)
            var debited: Int64 = 0
            for step in 0..<30 {
                if rng.chance(30) {
                    _ = try central.distribution.setWithdrawalRules(
                        minimum: nil, bankFeePercent: Percent(basisPoints: rng.pick([0, 100, 250])),
                        bankFeeMinimum: Money(cents: rng.pick([0, 100, 500])),
                        thirdpartyFeePercent: Percent(basisPoints: rng.pick([0, 60])),
                        feeMode: rng.pick([WithdrawalFeeMode.deducted, .onTop]))
                }
                let before = try central.distribution.commissionAccount("C").balance_cents
                let amount = rng.int64(1000...9000)
                let method = rng.pick(["bank", "thirdparty", "stored_value", "cash"])
                let rules = try central.distribution.withdrawalRules()
                let split = try #require(rules.split(amount: amount, method: method))
                do {
                    let w = try central.distribution.requestWithdrawal(
                        distributor: "C", amount: Money(cents: amount),
                        method: try #require(WithdrawalMethod(rawValue: method)))
                    #expect(split.debited <= before && split.received > 0, "step \(step)")
                    #expect(w.received_cents + w.fee_cents == w.debited_cents, "step \(step)")
                    #expect(w.debited_cents == split.debited, "step \(step)")
                    debited += w.debited_cents
                } catch {
                    #expect(split.debited > before || split.received <= 0, "step \(step): refused \(error)")
                }
                let after = try central.distribution.commissionAccount("C").balance_cents
                #expect(after >= 0 && after == 18_000 - debited, "step \(step)")
            }
        }
    }
}
