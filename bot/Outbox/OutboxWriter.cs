using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>
/// Puts messages in the outbox. <see cref="EnqueueAsync"/> returns only once the message is durable, so a feature
/// may tell the user "done" right after it: from then on the message survives restarts and peer outages.
/// </summary>
public sealed class OutboxWriter(
    ITableStore store, IOptions<OutboxOptions> options, OutboxSignal signal, TimeProvider time, ILogger<OutboxWriter> log)
{
    /// <summary>
    /// Stores the message for delivery at <see cref="OutboxMessage.Due"/> (now or earlier = as soon as possible).
    /// Idempotent for the same id and due: enqueuing it again while it is still pending changes nothing. (Once it is
    /// being delivered or retried, its row has moved, and a second enqueue delivers it again: handlers are
    /// at-least-once anyway.) Throws <see cref="ArgumentException"/> for an id, kind or payload the table cannot hold.
    /// </summary>
    public async Task EnqueueAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var now = time.GetUtcNow();
        var row = OutboxRows.Pending(OutboxRows.Shard(message.Id, options.Value.Shards), message, now);
        try
        {
            await store.InsertAsync(Tables.Outbox, row, ct).ConfigureAwait(false);
            log.LogDebug("Outbox message {MessageId} ({Kind}) enqueued for {Due}", message.Id, message.Kind, message.Due);
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists)
        {
            log.LogDebug("Outbox message {MessageId} ({Kind}) for {Due} was already enqueued", message.Id, message.Kind, message.Due);
        }
        if (message.Due <= now)
        {
            signal.Wake();
        }
    }

    /// <summary>
    /// Removes a message still pending at <paramref name="due"/>, in one call and without reading it first: for a fallback
    /// whose work was done another way (see <see cref="Budget.CustomerCompletions"/>). A message already claimed by a
    /// dispatcher has moved to another row and stays; its handler does the same work again, as handlers are idempotent.
    /// </summary>
    public async Task ForgetAsync(string id, DateTimeOffset due, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        try
        {
            await store.DeleteAsync(Tables.Outbox, OutboxRows.Shard(id, options.Value.Shards), OutboxRows.DueKey(due, id), TableOperation.AnyETag, ct)
                .ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Claimed (or forgotten) already.
        }
    }

    /// <summary>
    /// Removes a message that has not been picked up yet, e.g. the reminder of an approval decided before it was due.
    /// False when it is no longer pending at <paramref name="due"/>: already delivered, or being delivered or retried
    /// right now. Cancelling therefore cannot be the only guard: a handler of scheduled work still checks whether the
    /// work is wanted and answers <see cref="DeliveryOutcome.Drop"/> when it is not. Cancelling saves it the trip.
    /// </summary>
    public async Task<bool> CancelAsync(string id, DateTimeOffset due, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var shard = OutboxRows.Shard(id, options.Value.Shards);
        var key = OutboxRows.DueKey(due, id);
        if (await store.GetAsync(Tables.Outbox, shard, key, ct).ConfigureAwait(false) is not { } row
            || row.GetBool(OutboxRows.Leased))
        {
            return false;
        }
        try
        {
            await store.DeleteAsync(Tables.Outbox, shard, key, row.ETag!, ct).ConfigureAwait(false);
            log.LogInformation("Outbox message {MessageId} ({Kind}) cancelled before delivery", id, row.GetString(OutboxRows.Kind));
            return true;
        }
        catch (StorageConflictException)
        {
            // A dispatcher claimed it between our read and our delete.
            return false;
        }
    }
}
