using EmpowerBot.Outbox;

namespace EmpowerBot.Budget;

/// <summary>Where a credit's reservation is and where its ledger entry will be.</summary>
public sealed record CustomerReservation(string TenantId, string PersonKey, string Customer, DateTimeOffset At, string Uid,
    string LedgerPartition, string IdempotencyKey, string Currency);

/// <summary>
/// Settles the reservations of credits recorded by earlier versions of EmpowerBot, which stored an outbox follow-up
/// beside each one instead of naming the ledger place in the reservation itself. This version stores none: during a
/// rolling upgrade, and for follow-ups still waiting in the outbox afterwards, this handler finishes them the way
/// <see cref="CustomerIndex"/> settles a reservation on read.
/// </summary>
public sealed class CustomerFollowUp(CustomerIndex customers, Ledger ledger, TimeProvider clock) : IOutboxHandler
{
    public const string MessageKind = "customer.follow-up";

    public string Kind => MessageKind;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var r = message.ReadPayload<CustomerReservation>();
        var currency = Currency.Of(r.Currency);
        if (clock.GetUtcNow() - r.At < CustomerIndex.CommitGrace
            && await ledger.FindAsync(r.LedgerPartition, r.IdempotencyKey, null, currency, ct) is null)
        {
            return DeliveryOutcome.Hold("credit not committed yet", TimeSpan.FromSeconds(2));
        }
        await customers.SettleAsync(r.TenantId, r.Customer, r.At, r.Uid, r.LedgerPartition, r.IdempotencyKey, currency, ct);
        return DeliveryOutcome.Delivered;
    }
}
