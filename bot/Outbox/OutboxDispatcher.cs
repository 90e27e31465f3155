using System.Globalization;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>
/// Delivers due outbox messages. Each poll reads the due range of every shard and claims each row with one atomic
/// batch (delete the due row if its ETag still matches + insert it again under "now + lease"), so when several
/// instances share the store exactly one wins a message; the others get a conflict and skip it. The winner calls the
/// handler, renewing the lease while it runs (<see cref="OutboxLease"/>), and records the outcome
/// (<see cref="OutboxSettlement"/>). A crash leaves the leased row behind, which falls due again when the short lease
/// runs out: delivery is at least once (only what was in flight is repeated), and nothing enqueued is lost.
/// </summary>
public sealed class OutboxDispatcher : BackgroundService
{
    private readonly ITableStore _store;
    private readonly IOptions<OutboxOptions> _options;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDispatcher> _log;
    private readonly Dictionary<string, IOutboxHandler> _handlers = new(StringComparer.Ordinal);
    private long _polls;
    private long _sweeps;
    private bool _storageDown;

    public OutboxDispatcher(ITableStore store, IEnumerable<IOutboxHandler> handlers, IOptions<OutboxOptions> options,
        OutboxSignal signal, TimeProvider time, ILogger<OutboxDispatcher> log)
    {
        (_store, _options, _signal, _time, _log) = (store, options, signal, time, log);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
                throw new InvalidOperationException(
                    $"Two outbox handlers deliver kind '{handler.Kind}': {_handlers[handler.Kind].GetType().Name} and {handler.GetType().Name}.");
        }
    }

    /// <summary>Completed polls of all shards; tests wait on it instead of sleeping.</summary>
    internal long Polls => Interlocked.Read(ref _polls);

    /// <summary>Completed dead-letter sweeps of all shards.</summary>
    internal long Sweeps => Interlocked.Read(ref _sweeps);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        if (!options.Enabled)
        {
            _log.LogInformation("Outbox dispatcher disabled (Outbox:Enabled is false); another instance delivers");
            return;
        }
        _log.LogInformation("Outbox dispatcher started: {Shards} shards, poll every {PollInterval}, kinds {Kinds}",
            options.Shards, options.PollInterval, string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal)));
        var slots = new SemaphoreSlim(options.MaxConcurrency);
        var settlement = new OutboxSettlement(_store, options, _time, _log);
        var sweep = new DeadLetterSweep(_store, options, _time, _log);
        var nextSweep = DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                if (_time.GetUtcNow() >= nextSweep)
                {
                    nextSweep = await SweepAsync(sweep, options, stoppingToken);
                }
                var backlog = false;
                for (var shard = 0; shard < options.Shards; shard++)
                {
                    backlog |= await PollShardAsync(shard.ToString(CultureInfo.InvariantCulture), options, slots, settlement, stoppingToken);
                }
                Interlocked.Increment(ref _polls);
                if (!backlog)
                {
                    await _signal.WaitAsync(options.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Let deliveries in flight record their outcome; the host's shutdown timeout bounds this wait, and whatever
        // does not finish keeps its lease and is delivered again by the next instance.
        for (var i = 0; i < options.MaxConcurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
    }

    /// <summary>Sweeps every shard's dead letters; when the next sweep is due (sooner after a failure).</summary>
    private async Task<DateTimeOffset> SweepAsync(DeadLetterSweep sweep, OutboxOptions options, CancellationToken ct)
    {
        try
        {
            for (var shard = 0; shard < options.Shards; shard++)
            {
                await sweep.SweepAsync(shard.ToString(CultureInfo.InvariantCulture), ct);
            }
            Interlocked.Increment(ref _sweeps);
            return _time.GetUtcNow() + DeadLetterSweep.Interval;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "Outbox dead letters not swept; trying again in a minute");
            return _time.GetUtcNow() + TimeSpan.FromMinutes(1);
        }
    }

    /// <summary>Claims and starts the due messages of one shard; true when it read a full page, so more may be due at once.</summary>
    private async Task<bool> PollShardAsync(string shard, OutboxOptions options, SemaphoreSlim slots, OutboxSettlement settlement, CancellationToken ct)
    {
        // One page, read to the end before any delivery starts, so no read stays open while handlers run.
        var page = options.MaxConcurrency * 4;
        List<TableEntity> due;
        try
        {
            due = [];
            await foreach (var row in _store.QueryAsync(Tables.Outbox, shard, null, OutboxRows.DueRangeEnd(_time.GetUtcNow()), ct))
            {
                due.Add(row);
                if (due.Count == page) break;
            }
            RecordStorage(up: true, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RecordStorage(up: false, e);
            return false;
        }

        foreach (var row in due)
        {
            if (!OutboxRows.TryParse(row.RowKey, out var dueAt, out var id)) continue;
            await slots.WaitAsync(ct);
            OutboxClaim? claim = null;
            try
            {
                claim = await TryClaimAsync(row, dueAt, id, options, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RecordStorage(up: false, e);
            }
            finally
            {
                if (claim is null) slots.Release();
            }
            if (claim is not null)
            {
                // Off the poll loop: a handler that blocks before its first await must not stall polling.
                _ = Task.Run(() => DeliverAsync(claim, slots, settlement, ct), CancellationToken.None);
            }
        }
        return due.Count == page;
    }

    private async Task<OutboxClaim?> TryClaimAsync(TableEntity row, DateTimeOffset dueAt, string id, OutboxOptions options, CancellationToken ct)
    {
        var leaseUntil = _time.GetUtcNow() + options.LeaseDuration;
        var attempt = row.GetInt64(OutboxRows.Attempts) + 1;
        var leased = OutboxRows.Move(row, OutboxRows.DueKey(leaseUntil, id), (OutboxRows.Attempts, attempt), (OutboxRows.Leased, true));
        try
        {
            var etags = await _store.SubmitAsync(Tables.Outbox,
                [TableOperation.Delete(row.PartitionKey, row.RowKey, row.ETag!), TableOperation.Insert(leased)], ct);
            return new OutboxClaim(leased with { ETag = etags[1] }, OutboxRows.ToMessage(row, dueAt, id), (int)attempt, leaseUntil,
                Reclaimed: row.GetBool(OutboxRows.Leased));
        }
        catch (StorageConflictException)
        {
            _log.LogDebug("Outbox message {MessageId} was claimed by another instance", id);
            return null;
        }
    }

    private async Task DeliverAsync(OutboxClaim claim, SemaphoreSlim slots, OutboxSettlement settlement, CancellationToken stopping)
    {
        try
        {
            using var lease = new OutboxLease(claim, _store, _options.Value.LeaseDuration, _time, _log);
            using var delivered = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var keeping = lease.KeepAsync(delivered.Token);
            var outcome = await InvokeAsync(lease, stopping);
            await delivered.CancelAsync();
            await keeping;
            // Recorded even while stopping: the store outlives the hosted services.
            await settlement.SettleAsync(lease.Claim, outcome, CancellationToken.None);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Outbox message {MessageId} ({Kind}): recording the outcome failed; it is delivered again after its lease",
                claim.Message.Id, claim.Message.Kind);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<DeliveryOutcome> InvokeAsync(OutboxLease lease, CancellationToken stopping)
    {
        var claim = lease.Claim;
        var message = claim.Message;
        if (!_handlers.TryGetValue(message.Kind, out var handler))
            return DeliveryOutcome.Failed($"No outbox handler delivers kind '{message.Kind}'.");
        if (claim.Reclaimed && _time.GetUtcNow() - message.Due >= _options.Value.MaxAge)
            return DeliveryOutcome.Failed($"Delivery never finished (crash or hang past the lease) and the message is older than MaxAge; attempt {claim.Attempt} not made.");

        // A delivery whose lease is lost is cancelled: another instance may have claimed the message.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
        try
        {
            return await handler.DeliverAsync(message, claim.Attempt, linked.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return new DeliveryOutcome.Interrupted();
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested)
        {
            return DeliveryOutcome.RetryLater("The delivery lost its lease and was cancelled.");
        }
        catch (Exception e)
        {
            return DeliveryOutcome.RetryLater($"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Logs an outage once when it starts and once when it ends, not on every poll.</summary>
    private void RecordStorage(bool up, Exception? error)
    {
        if (up == !_storageDown) return;
        _storageDown = !up;
        if (up) _log.LogInformation("Outbox dispatcher reaches storage again");
        else _log.LogWarning(error, "Outbox dispatcher cannot reach storage; retrying every poll");
    }
}
