using EmpowerBot.Storage;

namespace EmpowerBot.Outbox;

/// <summary>
/// A message this instance claimed: <paramref name="Row"/> is the leased row (with its ETag, so every later write is
/// conditional on still owning it), due again at <paramref name="LeaseUntil"/> if this instance never reports back.
/// <paramref name="Reclaimed"/> is true when the previous claim ran out without an outcome (a crash, or a hang).
/// </summary>
internal sealed record OutboxClaim(TableEntity Row, OutboxMessage Message, int Attempt, DateTimeOffset LeaseUntil, bool Reclaimed);

/// <summary>
/// Keeps a claim while its delivery runs: every third of the lease the leased row moves to "now + lease" in one batch
/// under its ETag (delete if-match + insert), the same conditional write as the claim, so two instances never both own
/// a row. The lease stays short, and a dead instance's messages fall due again within one lease. A renewal that
/// conflicts means another instance owns the message now: <see cref="Lost"/> fires, the delivery is cancelled and
/// nothing more is written. <see cref="Lost"/> also fires when the lease runs out without a renewal landing.
/// </summary>
internal sealed class OutboxLease(OutboxClaim claim, ITableStore store, TimeSpan duration, TimeProvider time, ILogger log) : IDisposable
{
    private readonly CancellationTokenSource lost = new(Remaining(claim, time), time);

    /// <summary>The claim as last renewed: settle with this one, its row carries the current ETag.</summary>
    public OutboxClaim Claim { get; private set; } = claim;

    public CancellationToken Lost => lost.Token;

    /// <summary>Renews until <paramref name="done"/> is cancelled (delivery over, or the instance stopping) or the lease is lost.</summary>
    public async Task KeepAsync(CancellationToken done)
    {
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(duration / 3, time, done);
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync()
    {
        var until = time.GetUtcNow() + duration;
        var row = Claim.Row;
        var renewed = OutboxRows.Move(row, OutboxRows.DueKey(until, Claim.Message.Id));
        try
        {
            // Not cancelled with the delivery: a renewal that landed unnoticed would leave the row under an ETag nobody holds.
            var etags = await store.SubmitAsync(Tables.Outbox,
                [TableOperation.Delete(row.PartitionKey, row.RowKey, row.ETag!), TableOperation.Insert(renewed)], CancellationToken.None);
            Claim = Claim with { Row = renewed with { ETag = etags[1] }, LeaseUntil = until };
            lost.CancelAfter(duration);
        }
        catch (StorageConflictException)
        {
            log.LogWarning("Outbox message {MessageId} ({Kind}): another instance owns it now; attempt {Attempt} is stopped",
                Claim.Message.Id, Claim.Message.Kind, Claim.Attempt);
            await lost.CancelAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease still runs until its end; the next renewal may land.
            log.LogWarning(e, "Outbox message {MessageId} ({Kind}): renewing its lease failed", Claim.Message.Id, Claim.Message.Kind);
        }
    }

    private static TimeSpan Remaining(OutboxClaim claim, TimeProvider time) =>
        claim.LeaseUntil - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public void Dispose() => lost.Dispose();
}
