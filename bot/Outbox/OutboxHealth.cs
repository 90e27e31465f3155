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
/// Reads the outbox's state for the health endpoint from a bounded number of rows, however long the bot has run: per
/// shard, its dead-letter count (<see cref="DeadLetterCount"/>) and the messages due before now + RetryMaxDelay. That
/// range holds every due or in-flight message and every message waiting for a retry with backoff (their row key has
/// moved into the future, but their first due time has not); reminders scheduled days ahead stay outside it. A message
/// a peer asked to wait longer than RetryMaxDelay counts again once it falls due. A shard without a count yet (stored
/// before counts existed, until the dispatcher's first sweep) has its dead letters counted instead.
/// </summary>
public sealed class OutboxHealth(ITableStore store, IOptions<OutboxOptions> options, TimeProvider time)
{
    /// <summary>Throws <see cref="StorageUnavailableException"/> when the store cannot be read.</summary>
    public async Task<OutboxStatus> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var shards = await Task.WhenAll(Enumerable.Range(0, options.Value.Shards)
            .Select(shard => ReadShardAsync(shard.ToString(CultureInfo.InvariantCulture), now, ct)));
        var oldest = shards.Select(s => s.OldestDue).Append(now).Min();
        return new OutboxStatus((int)Math.Min(int.MaxValue, shards.Sum(s => s.Dead)), (long)(now - oldest).TotalSeconds);
    }

    private async Task<(long Dead, DateTimeOffset OldestDue)> ReadShardAsync(string shard, DateTimeOffset now, CancellationToken ct)
    {
        var countTask = store.GetAsync(Tables.Outbox, shard, OutboxRows.DeadCountRow, ct);
        var oldest = now;
        await foreach (var row in store.QueryAsync(Tables.Outbox, shard, null, OutboxRows.DueRangeEnd(now + options.Value.RetryMaxDelay), ct).ConfigureAwait(false))
        {
            if (!OutboxRows.TryParse(row.RowKey, out var due, out _)) continue;
            var firstDue = OutboxRows.FirstDueOf(row, due);
            if (firstDue < oldest) oldest = firstDue;
        }
        var dead = await countTask is { } count ? DeadLetterCount.Read(count) : await CountDeadAsync(shard, ct);
        return (dead, oldest);
    }

    private async Task<long> CountDeadAsync(string shard, CancellationToken ct)
    {
        var dead = 0L;
        await foreach (var _ in store.QueryAsync(Tables.Outbox, shard, OutboxRows.DeadPrefix, OutboxRows.AfterDeadLetters, ct).ConfigureAwait(false)) dead++;
        return dead;
    }
}
