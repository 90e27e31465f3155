namespace EmpowerBot.Outbox;

/// <summary>
/// Delivers the outbox messages of one <see cref="Kind"/>. Features register theirs as singletons
/// (<c>services.AddSingleton&lt;IOutboxHandler, ApprovalCardHandler&gt;()</c>).
/// Delivery is at least once: after a crash, or a lease that ran out, the same message (same id) comes again, so a
/// handler passes the id on as an idempotency key or checks state first. A handler of scheduled work checks whether
/// the work is still wanted and answers <see cref="DeliveryOutcome.Drop"/> when it is not.
/// An exception counts as <see cref="DeliveryOutcome.RetryLater"/> with the exception's message.
/// </summary>
public interface IOutboxHandler
{
    /// <summary>The <see cref="OutboxMessage.Kind"/> this handler delivers; one handler per kind.</summary>
    string Kind { get; }

    /// <param name="attempt">1 for the first attempt; counts attempts cut short by a crash too.</param>
    /// <param name="ct">Cancelled when the app stops or the lease on the message runs out.</param>
    Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct);
}
