/// The periods of `report sales`: ISO weeks, and days, months and years at the node's UTC offset.
public enum ReportPeriod: String, Sendable, CaseIterable {
    case day, week, month, year, all
}

/// What `report top` ranks: single SKUs or top-level categories.
public enum TopSellerDimension: String, Sendable, CaseIterable {
    case sku, category
}

/// How the commission report groups: per level, per distributor, or per month paid.
public enum CommissionReportDimension: String, Sendable, CaseIterable {
    case level, distributor, month
}
