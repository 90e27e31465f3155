using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

/// <summary>Reads of a tenant's obstacles, and the one edit anyone concerned may make: the category.</summary>
public sealed class ObstacleBoard(ITableStore store, ObstacleChanges changes, ILogger<ObstacleBoard> log)
{
    private const int MaxAttempts = 16;

    public async Task<Obstacle?> GetAsync(string tenantId, int id, CancellationToken ct) =>
        await store.GetAsync(Tables.Obstacles, ObstacleRows.Partition(tenantId), ObstacleRows.Row(id), ct) is { } row
            ? ObstacleRows.Read(row)
            : null;

    /// <summary>Every obstacle and idea of the tenant, whatever its status: what <see cref="ObstacleCorpus"/> starts from, once per instance.</summary>
    public async Task<IReadOnlyList<Obstacle>> AllAsync(string tenantId, CancellationToken ct)
    {
        var all = new List<Obstacle>();
        await foreach (var row in store.QueryAsync(Tables.Obstacles, ObstacleRows.Partition(tenantId),
            ObstacleRows.FirstObstacleRow, ObstacleRows.AfterLastObstacleRow, ct))
        {
            if (ObstacleRows.IsObstacleRow(row.RowKey)) all.Add(ObstacleRows.Read(row));
        }
        return all;
    }

    /// <summary>Sets the category; null when there is no such obstacle.</summary>
    public async Task<Obstacle?> ChangeCategoryAsync(string tenantId, int id, ObstacleCategory category, CancellationToken ct)
    {
        var partition = ObstacleRows.Partition(tenantId);
        for (var attempt = 1; ; attempt++)
        {
            var (counter, row) = await changes.ReadAsync(partition, id, ct);
            if (row is null) return null;
            var obstacle = ObstacleRows.Read(row);
            if (obstacle.Category == category) return obstacle;
            var changed = obstacle with { Category = category };
            try
            {
                var etag = (await changes.SubmitAsync(partition, counter, id, [TableOperation.Replace(ObstacleRows.Write(partition, changed), row.ETag!)], ct))[0];
                log.LogInformation("Obstacle {ObstacleId} moved to category {Category}", id, category);
                return changed with { ETag = etag };
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                // A vote or a status change landed in between: apply the category to the fresh row.
            }
        }
    }
}
