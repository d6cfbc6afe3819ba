import ArgumentParser
import Commerce
import Foundation
import Node
import SyncClient

// Typed input at the edge: argument-parser parses these and refuses bad values with its own
// message ("The value 'x' is invalid for '--pay <pay>'. Please provide one of 'cash', …"),
// exit 2, before any node is opened.

/// Yuan as typed: `12`, `12.5`, `-3.05` (at most two decimals).
extension Money: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { yuan }
}

extension PaymentMethod: ExpressibleByArgument {}
extension SalesChannel: ExpressibleByArgument {}
/// `deducted` or `on-top` (`on_top` too).
extension WithdrawalFeeMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.replacingOccurrences(of: "-", with: "_")) }
    public static var allValueStrings: [String] {
        allCases.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
    }
}

/// A percentage with at most two decimals: `0.6`, `2.5`.
extension Percent: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension WithdrawalMethod: ExpressibleByArgument {}
extension OrderStatus: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}

/// A point in time as typed: `2026-11-01` (midnight at the node's UTC offset), an ISO 8601
/// date-time (`2026-12-12T00:00:00+08:00`) or ms since the epoch. Checked when parsed; a plain
/// day is resolved once the node (and so its offset) is open.
struct Instant: ExpressibleByArgument {
    let text: String

    init?(argument: String) {
        guard (try? parseInstant(argument, offsetMillis: 0)) != nil else { return nil }
        text = argument
    }

    /// Milliseconds since the epoch, at the open node's UTC offset.
    var millis: Int64 { (try? parseInstant(text)) ?? 0 }
}

extension BindingRule: ExpressibleByArgument {}

/// `off`, or the spend in yuan from which applications are approved automatically.
extension AutoApproval: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "off" {
            self = .off
        } else if let spend = Money(parsing: argument) {
            self = .atSpend(spend)
        } else {
            return nil
        }
    }
}

extension ReportPeriod: ExpressibleByArgument {}
extension TopSellerDimension: ExpressibleByArgument {}
extension CommissionReportDimension: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// A comma-separated list of typed values, e.g. `--levels 10,5` or `--fixed-per-order 2,1`:
/// refused as a whole (exit 2) when any item does not parse.
struct ListArgument<Element: ExpressibleByArgument>: ExpressibleByArgument {
    let values: [Element]

    init?(argument: String) {
        var values: [Element] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Element(argument: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        self.values = values
    }
}

extension CampaignKind: ExpressibleByArgument {}
extension RegroupDimension: ExpressibleByArgument {}
extension DistributorRegister.Status: ExpressibleByArgument {}
extension TransferRegister.Status: ExpressibleByArgument {}
extension RefundRequestRegister.Status: ExpressibleByArgument {}
extension ConflictNoteRegister.Status: ExpressibleByArgument {}

/// A day of the year as typed: `11-26`.
extension MonthDay: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// `push`, `pull` or `both`.
extension SyncPhase: ExpressibleByArgument {}

/// Order lines as typed (`--line TEA-01:2`; full-width `ＴＥＡ-01：２` is read as ASCII before
/// parsing), refused with the sentence that names the bad line
/// (`line 'TEA-01:0': quantity must be between 1 and 9999`), exit 2.
func orderLines(_ texts: [String]) throws(NodeError) -> [LineRequest] {
    var lines: [LineRequest] = []
    for text in texts {
        do {
            lines.append(try LineRequest(parsing: text))
        } catch {
            throw NodeError.wrap(error)
        }
    }
    return lines
}

/// A scanned line as typed: `BARCODE:QTY`, or a barcode or SKU code alone (quantity 1).
struct ScannedLine {
    let code: String
    let quantity: Int64

    init(parsing text: String) throws(NodeError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        code = parts[0]
        guard parts.count == 2 else {
            quantity = 1
            return
        }
        guard parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let qty = Int64(parts[1]), (1...9_999).contains(qty)
        else {
            throw NodeError(
                .invalidInput,
                message: "barcode line '\(text)': quantity '\(parts[1])' must be a whole number from 1 to 9999")
        }
        quantity = qty
    }
}

/// Order lines coming back as typed (`--line 2:1`, `--return 2:1`): `LINE:QTY`, exit 2 otherwise.
func refundLines(_ texts: [String]) throws(NodeError) -> [RefundLine] {
    var lines: [RefundLine] = []
    for text in texts {
        do {
            lines.append(try RefundLine(parsing: text))
        } catch {
            throw NodeError.wrap(error)
        }
    }
    return lines
}
