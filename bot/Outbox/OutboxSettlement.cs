using EmpowerBot.Storage;

namespace EmpowerBot.Outbox;

/// <summary>
/// Records what became of a claimed message. Every write is conditional on the leased row's ETag: if the lease ran
/// out and another instance claimed the message meanwhile, that instance owns it and this one changes nothing.
/// Payloads are never logged (they may carry anonymous submissions); ids, kinds and reasons are.
/// </summary>
internal sealed class OutboxSettlement(ITableStore store, OutboxOptions options, TimeProvider time, ILogger log)
{
    public async Task SettleAsync(OutboxClaim claim, DeliveryOutcome outcome, CancellationToken ct)
    {
        var m = claim.Message;
        switch (outcome)
        {
            case DeliveryOutcome.Success:
                if (await RemoveAsync(claim, ct))
                    log.LogDebug("Outbox message {MessageId} ({Kind}) delivered on attempt {Attempt}", m.Id, m.Kind, claim.Attempt);
                break;
            case DeliveryOutcome.Dropped drop:
                if (await RemoveAsync(claim, ct))
                    log.LogInformation("Outbox message {MessageId} ({Kind}) dropped: {Reason}", m.Id, m.Kind, drop.Reason);
                break;
            case DeliveryOutcome.Failure failure:
                if (await DeadLetterAsync(claim, failure.Reason, ct))
                    log.LogError("Outbox message {MessageId} ({Kind}) failed for good on attempt {Attempt} and is now a dead letter: {Reason}",
                        m.Id, m.Kind, claim.Attempt, failure.Reason);
                break;
            case DeliveryOutcome.Retry retry when time.GetUtcNow() - m.Due >= options.MaxAge:
                var reason = $"Still failing {options.MaxAge} after it was due ({claim.Attempt} attempts): {retry.Reason}";
                if (await DeadLetterAsync(claim, reason, ct))
                    log.LogError("Outbox message {MessageId} ({Kind}) is past MaxAge after {Attempt} attempts and is now a dead letter: {Reason}",
                        m.Id, m.Kind, claim.Attempt, retry.Reason);
                break;
            case DeliveryOutcome.Retry retry:
                var delay = retry.After is { } after ? (after > TimeSpan.Zero ? after : TimeSpan.Zero) : Backoff(claim.Attempt);
                if (!await RescheduleAsync(claim, time.GetUtcNow() + delay, retry.Reason, ct)) break;
                // A planned wait (a person on a break) is no failure, and a warning would tell the log who is resting.
                if (retry.Expected)
                    log.LogDebug("Outbox message {MessageId} ({Kind}) held for {Delay}", m.Id, m.Kind, delay);
                else
                    log.LogWarning("Outbox message {MessageId} ({Kind}) attempt {Attempt} failed; retry in {Delay}: {Reason}",
                        m.Id, m.Kind, claim.Attempt, delay, retry.Reason);
                break;
            case DeliveryOutcome.Interrupted:
                if (await RescheduleAsync(claim, time.GetUtcNow(), "Interrupted by shutdown.", ct))
                    log.LogInformation("Outbox message {MessageId} ({Kind}) interrupted by shutdown; put back for the next instance", m.Id, m.Kind);
                break;
            default:
                throw new InvalidOperationException($"Unknown delivery outcome {outcome.GetType().Name}.");
        }
    }

    /// <summary>Exponential (base × 2^(attempt−1), capped) with "equal jitter": between half and all of it, so retries of many messages spread out.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    private Task<bool> RemoveAsync(OutboxClaim claim, CancellationToken ct) =>
        SubmitAsync(claim, [Release(claim)], ct);

    private Task<bool> RescheduleAsync(OutboxClaim claim, DateTimeOffset due, string error, CancellationToken ct)
    {
        var next = OutboxRows.Move(claim.Row, OutboxRows.DueKey(due, claim.Message.Id),
            (OutboxRows.Leased, false), (OutboxRows.LastError, OutboxRows.Truncate(error)));
        // A retry due exactly when the lease ends keeps the row key: one conditional replace instead of delete + insert.
        return next.RowKey == claim.Row.RowKey
            ? SubmitAsync(claim, [TableOperation.Replace(next, claim.Row.ETag!)], ct)
            : SubmitAsync(claim, [Release(claim), TableOperation.Insert(next)], ct);
    }

    /// <summary>Moves the message to the dead letters and counts it (<see cref="DeadLetterCount"/>) in one batch.</summary>
    private async Task<bool> DeadLetterAsync(OutboxClaim claim, string reason, CancellationToken ct)
    {
        var shard = claim.Row.PartitionKey;
        var dead = OutboxRows.Move(claim.Row, OutboxRows.DeadKey(claim.Message.Id),
            (OutboxRows.Leased, false), (OutboxRows.LastError, OutboxRows.Truncate(reason)), (OutboxRows.DeadAt, time.GetUtcNow()));
        for (var attempt = 1; ; attempt++)
        {
            var countTask = store.GetAsync(Tables.Outbox, shard, OutboxRows.DeadCountRow, ct);
            var earlierTask = store.GetAsync(Tables.Outbox, shard, dead.RowKey, ct);
            await Task.WhenAll(countTask, earlierTask);
            var (count, earlier) = (countTask.Result, earlierTask.Result);
            // Upsert: a message enqueued again under an id that died before replaces the old dead letter, counted once.
            var batch = new List<TableOperation> { Release(claim), TableOperation.Upsert(dead) };
            if (count is null || earlier is null)
                batch.Add(DeadLetterCount.Save(shard, (count is null ? 0 : DeadLetterCount.Read(count)) + (earlier is null ? 1 : 0), count));
            try
            {
                return await SubmitAsync(claim, batch, ct);
            }
            catch (StorageConflictException e) when (e.OperationIndex == 2 && attempt < 10)
            {
                // Another death or a sweep changed the count since it was read: read it again.
            }
        }
    }

    private static TableOperation Release(OutboxClaim claim) =>
        TableOperation.Delete(claim.Row.PartitionKey, claim.Row.RowKey, claim.Row.ETag!);

    /// <summary>False when the lease was lost: the message belongs to whoever claimed it after us.</summary>
    private async Task<bool> SubmitAsync(OutboxClaim claim, IReadOnlyList<TableOperation> batch, CancellationToken ct)
    {
        try
        {
            await store.SubmitAsync(Tables.Outbox, batch, ct);
            return true;
        }
        catch (StorageConflictException e) when (e.OperationIndex == 0)
        {
            log.LogWarning("Outbox message {MessageId} ({Kind}): the lease ran out before attempt {Attempt} finished; another claim owns it now",
                claim.Message.Id, claim.Message.Kind, claim.Attempt);
            return false;
        }
    }
}
