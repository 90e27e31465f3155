using System.Globalization;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>What /healthz reports about the outbox.</summary>
/// <param name="DeadLetters">Messages that failed for good and wait for an operator.</param>
/// <param name="OldestPendingSeconds">
/// How long the oldest undelivered message has been due (in flight and waiting to be retried included); 0 when none is.
/// </param>
public sealed record OutboxStatus(int DeadLetters, long OldestPendingSeconds);

/// <summary>
/// Reads the outbox's state for the health endpoint. It reads every row of every shard, which is cheap at the outbox's
/// size (messages leave it once delivered) and keeps retried messages in view: their row key has moved into the future,
/// but their first due time has not.
/// </summary>
public sealed class OutboxHealth(ITableStore store, IOptions<OutboxOptions> options, TimeProvider time)
{
    /// <summary>Throws <see cref="StorageUnavailableException"/> when the store cannot be read.</summary>
    public async Task<OutboxStatus> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (dead, oldest) = (0, now);
        for (var shard = 0; shard < options.Value.Shards; shard++)
        {
            var partition = shard.ToString(CultureInfo.InvariantCulture);
            await foreach (var row in store.QueryAsync(Tables.Outbox, partition, null, null, ct).ConfigureAwait(false))
            {
                if (row.RowKey.StartsWith(OutboxRows.DeadPrefix, StringComparison.Ordinal))
                {
                    dead++;
                }
                else if (OutboxRows.TryParse(row.RowKey, out var due, out _))
                {
                    var firstDue = OutboxRows.FirstDueOf(row, due);
                    if (firstDue < oldest) oldest = firstDue;
                }
            }
        }
        return new OutboxStatus(dead, (long)(now - oldest).TotalSeconds);
    }
}
