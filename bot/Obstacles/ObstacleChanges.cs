using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

/// <summary>
/// The one way an obstacle row is changed: the caller's operations plus the counter and change row
/// (<see cref="ObstacleRows.Changed"/>) in one batch, so no change can land without every instance hearing of it.
/// Change rows older than <see cref="ObstacleRows.ChangesKept"/> versions are removed every few hundred changes.
/// </summary>
public sealed class ObstacleChanges(ITableStore store, ILogger<ObstacleChanges> log)
{
    private const long PruneEvery = 256;

    public Task<TableEntity?> CounterAsync(string partition, CancellationToken ct) =>
        store.GetAsync(Tables.Obstacles, partition, ObstacleRows.CounterRow, ct);

    /// <summary>The counter and obstacle <paramref name="id"/>'s row, read side by side: what a change is decided on.</summary>
    public async Task<(TableEntity? Counter, TableEntity? Row)> ReadAsync(string partition, int id, CancellationToken ct)
    {
        var counter = CounterAsync(partition, ct);
        var row = store.GetAsync(Tables.Obstacles, partition, ObstacleRows.Row(id), ct);
        await Task.WhenAll(counter, row);
        return (counter.Result, row.Result);
    }

    /// <summary>
    /// Submits <paramref name="operations"/> (their indexes unchanged, so a caller's conflict checks still name its own
    /// operations) with the change of obstacle <paramref name="id"/>; returns their ETags. A conflict on the counter means
    /// another change landed first: read again and retry, like any other conflict.
    /// </summary>
    public async Task<IReadOnlyList<string?>> SubmitAsync(string partition, TableEntity? counter, int id, IReadOnlyList<TableOperation> operations,
        CancellationToken ct, long? last = null)
    {
        var etags = await store.SubmitAsync(Tables.Obstacles, [.. operations, .. ObstacleRows.Changed(partition, counter, id, last)], ct);
        var version = ObstacleRows.ReadVersion(counter) + 1;
        if (version % PruneEvery == 0 && version > ObstacleRows.ChangesKept) await PruneAsync(partition, version - ObstacleRows.ChangesKept, ct);
        return etags.Take(operations.Count).ToList();
    }

    /// <summary>Removes the change rows below <paramref name="below"/>, a hundred to a batch (the change log is one partition).</summary>
    private async Task PruneAsync(string partition, long below, CancellationToken ct)
    {
        var old = await store.QueryAsync(Tables.Obstacles, partition, ObstacleRows.ChangePrefix, ObstacleRows.ChangeRow(below), ct).ToListAsync(ct);
        foreach (var chunk in old.Chunk(100))
        {
            try
            {
                await store.SubmitAsync(Tables.Obstacles, chunk.Select(r => TableOperation.Delete(partition, r.RowKey, TableOperation.AnyETag)).ToList(), ct);
            }
            catch (StorageConflictException e) when (e.Reason == ConflictReason.NotFound)
            {
                // Another instance pruned some first: what is left goes with the next prune.
            }
        }
        log.LogDebug("Obstacle change log pruned: {Count} rows below version {Version}", old.Count, below);
    }
}
