using EmpowerBot.Storage;

namespace EmpowerBot.Outbox;

/// <summary>
/// Keeps each shard's dead letters to their retention (<see cref="OutboxOptions.DeadLetterRetention"/>) and their count
/// right. Until then an operator finds them in the outbox table (row keys "dead|{id}", with the kind, payload, attempts
/// and last error) and in the log line written when each died; each one deleted is logged again at Warning with its
/// kind and last error. Several instances may sweep at once: every write is conditional on what was read.
/// </summary>
internal sealed class DeadLetterSweep(ITableStore store, OutboxOptions options, TimeProvider time, ILogger log)
{
    /// <summary>How often the dispatcher sweeps (and once when it starts).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private const int BatchLimit = 100;

    public async Task SweepAsync(string shard, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The count's ETag is read before the dead letters are: a death after this point fails the count's write.
            var count = await store.GetAsync(Tables.Outbox, shard, OutboxRows.DeadCountRow, ct);
            var cutoff = time.GetUtcNow() - options.DeadLetterRetention;
            var (expired, kept) = (new List<TableEntity>(), 0L);
            await foreach (var row in store.QueryAsync(Tables.Outbox, shard, OutboxRows.DeadPrefix, OutboxRows.AfterDeadLetters, ct))
            {
                // A dead letter without its time of death is kept: nothing says it is old.
                if ((row.GetTime(OutboxRows.DeadAt) ?? DateTimeOffset.MaxValue) < cutoff) expired.Add(row);
                else kept++;
            }
            if (count is not null && DeadLetterCount.Read(count) == kept && expired.Count == 0) return;
            try
            {
                await DeleteAsync(shard, expired, DeadLetterCount.Save(shard, kept, count), ct);
                return;
            }
            catch (StorageConflictException) when (attempt < 5)
            {
                // A message died, or another instance swept, since the count was read: count again.
            }
        }
    }

    /// <summary>Deletes in batches; the last one also writes the count, so it lands only if nothing changed meanwhile.</summary>
    private async Task DeleteAsync(string shard, List<TableEntity> expired, TableOperation saveCount, CancellationToken ct)
    {
        var deletes = expired.Select(r => TableOperation.Delete(shard, r.RowKey, r.ETag!)).ToList();
        for (var start = 0; ; start += BatchLimit)
        {
            var rest = deletes.Count - start;
            if (rest < BatchLimit)
            {
                await store.SubmitAsync(Tables.Outbox, [.. deletes.Skip(start), saveCount], ct);
                break;
            }
            await store.SubmitAsync(Tables.Outbox, deletes.GetRange(start, BatchLimit), ct);
        }
        foreach (var row in expired)
        {
            log.LogWarning("Outbox dead letter {MessageId} ({Kind}) deleted, {Retention} after it died: {LastError}",
                row.RowKey[OutboxRows.DeadPrefix.Length..], row.GetString(OutboxRows.Kind), options.DeadLetterRetention, row.GetString(OutboxRows.LastError));
        }
    }
}
