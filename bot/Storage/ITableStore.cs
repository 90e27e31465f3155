namespace EmpowerBot.Storage;

/// <summary>
/// The one storage abstraction every feature uses: Azure-Table semantics on every backend.
/// Entities are addressed by (table, partition key, row key) and carry an ETag.
/// </summary>
public interface ITableStore
{
    /// <summary>Creates the tables if missing. Called once at start-up.</summary>
    Task EnsureTablesAsync(IEnumerable<string> tables, CancellationToken ct);

    /// <summary>Point read; null when the row does not exist.</summary>
    Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct);

    /// <summary>
    /// Rows of one partition with <paramref name="fromRowKey"/> ≤ row key &lt; <paramref name="toRowKey"/>
    /// (null bounds are open), in ascending row key order (ordinal).
    /// </summary>
    IAsyncEnumerable<TableEntity> QueryAsync(string table, string partitionKey, string? fromRowKey, string? toRowKey, CancellationToken ct);

    /// <summary>
    /// Applies all operations atomically, or none. Every operation must address the same partition.
    /// Returns the new ETag of each operation's row (null for deletes), in order.
    /// Throws <see cref="StorageConflictException"/> when a condition fails, and
    /// <see cref="ArgumentException"/> for a batch that is malformed (empty, several partitions, a row twice).
    /// Returns only once the write is durable.
    /// </summary>
    Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> batch, CancellationToken ct);

    /// <summary>A cheap round trip that proves the store is reachable.</summary>
    Task<bool> PingAsync(CancellationToken ct);
}
