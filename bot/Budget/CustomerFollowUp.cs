using EmpowerBot.Outbox;

namespace EmpowerBot.Budget;

/// <summary>Where a credit's reservation is and where its ledger entry will be, for <see cref="CustomerFollowUp"/>.</summary>
public sealed record CustomerReservation(string TenantId, string PersonKey, string Customer, DateTimeOffset At, string Uid,
    string LedgerPartition, string IdempotencyKey, string Currency);

/// <summary>
/// Finishes a credit's entry in its customer's history once the ledger has spoken. Queued in the outbox before the
/// reservation is taken, so a crash at any point leaves a follow-up that repairs the history: an applied credit
/// becomes its ledger row's twin (ref, status); a credit recorded otherwise, or replaced by a concurrent delivery
/// of the same request, gives its reservation back; a credit that never committed within <see cref="CommitGrace"/>
/// gives it back too, since <see cref="CreditLedger"/> no longer commits a credit that late.
/// </summary>
public sealed class CustomerFollowUp(OutboxWriter outbox, CustomerIndex customers, Ledger ledger, TimeProvider clock) : IOutboxHandler
{
    public const string MessageKind = "customer.follow-up";

    /// <summary>Longer than <see cref="CreditLedger.CommitDeadline"/>, so a reservation is never given up while its credit may still commit.</summary>
    public static readonly TimeSpan CommitGrace = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The follow-up is the fallback: the turn that recorded the credit finishes the history itself just after its reply
    /// (<see cref="CustomerCompletions"/>) and forgets the follow-up. Due this long after the credit, it runs only when
    /// that did not happen (a crash, an outage); meanwhile the reserved line counts like an applied one.
    /// </summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(30);

    public string Kind => MessageKind;

    /// <summary>Queues the follow-up; call before the reservation is taken. Idempotent for one reservation.</summary>
    public Task ExpectAsync(CustomerReservation reservation, CancellationToken ct) =>
        outbox.EnqueueAsync(OutboxMessage.Create(Id(reservation), MessageKind, reservation, reservation.At + Delay), ct);

    /// <summary>
    /// The follow-up's work done by the instance that just recorded <paramref name="recorded"/> (not a replay); then the
    /// follow-up is not needed. A credit recorded otherwise than applied holds no place: the ledger gave it back.
    /// </summary>
    public async Task FinishAsync(CustomerReservation r, Credit recorded, CancellationToken ct)
    {
        if (recorded.Status == CreditStatus.Applied) await customers.RecordAsync(r.TenantId, r.PersonKey, recorded, ct);
        await outbox.ForgetAsync(Id(r), r.At + Delay, ct);
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var r = message.ReadPayload<CustomerReservation>();
        var credit = await ledger.FindAsync(r.LedgerPartition, r.IdempotencyKey, null, Currency.Of(r.Currency), ct);
        if (credit is null && clock.GetUtcNow() - r.At < CommitGrace)
        {
            return DeliveryOutcome.Hold("credit not committed yet", TimeSpan.FromSeconds(2));
        }
        await SettleAsync(r, credit, ct);
        return DeliveryOutcome.Delivered;
    }

    /// <summary>An applied credit (or one undone since) becomes its ledger row's twin; anything else gives the place back.</summary>
    private Task SettleAsync(CustomerReservation r, Credit? credit, CancellationToken ct) =>
        credit is { Status: CreditStatus.Applied or CreditStatus.Voided } && credit.Uid == r.Uid
            ? customers.RecordAsync(r.TenantId, r.PersonKey, credit, ct)
            : customers.ReleaseAsync(r.TenantId, r.Customer, r.At, r.Uid, ct);

    private static string Id(CustomerReservation r) => "customer." + r.Uid;
}
