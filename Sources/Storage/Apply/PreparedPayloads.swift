import Commerce
import Replication

/// The typed payloads the applier reads from a received batch, decoded before the write lock
/// (``ChangeRecord/preparePayload(_:)``): central decodes a push's payloads with its JSON, on
/// the request's thread, so its single writer only applies them.
///
/// Only where the time goes: the payload a change's kind is read as by ``ChangeApplier``. A
/// change prepared as another type, or not at all, is decoded by the applier as before, with
/// the same result and the same error.
public enum PreparedPayloads {
    /// A push body's changes (``ChangeRecord/decodeBatch(_:prepare:)``), each prepared as it is
    /// decoded.
    public static func decodeBatch(_ buffer: UnsafeRawBufferPointer) throws -> [ChangeRecord] {
        try ChangeRecord.decodeBatch(buffer, prepare: prepare)
    }

    /// Decodes the payload the applier reads `c` as, and keeps it in `c`.
    public static func prepare(_ c: inout ChangeRecord) {
        switch c.kind {
        case .stockMove: c.preparePayload(StockMoveChange.self)
        case .orderLine: c.preparePayload(OrderLineChange.self)
        case .payment: c.preparePayload(PaymentChange.self)
        case .memberLedger: c.preparePayload(MemberLedgerChange.self)
        case .refund: c.preparePayload(RefundChange.self)
        case .couponUse: c.preparePayload(CouponUseChange.self)
        case .audit: c.preparePayload(AuditChange.self)
        case .order where c.op == .upsert: c.preparePayload(OrderCreated.self)
        case .order where c.op == .transition: c.preparePayload(OrderTransition.self)
        default: break
        }
    }
}
