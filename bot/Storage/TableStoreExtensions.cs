namespace EmpowerBot.Storage;

public static class TableStoreExtensions
{
    public static async Task<string> InsertAsync(this ITableStore store, string table, TableEntity entity, CancellationToken ct) =>
        (await store.SubmitAsync(table, [TableOperation.Insert(entity)], ct))[0]!;

    public static async Task<string> UpsertAsync(this ITableStore store, string table, TableEntity entity, CancellationToken ct) =>
        (await store.SubmitAsync(table, [TableOperation.Upsert(entity)], ct))[0]!;

    public static async Task<string> ReplaceAsync(this ITableStore store, string table, TableEntity entity, string ifMatch, CancellationToken ct) =>
        (await store.SubmitAsync(table, [TableOperation.Replace(entity, ifMatch)], ct))[0]!;

    public static Task DeleteAsync(this ITableStore store, string table, string partitionKey, string rowKey, string ifMatch, CancellationToken ct) =>
        store.SubmitAsync(table, [TableOperation.Delete(partitionKey, rowKey, ifMatch)], ct);

    /// <summary>All rows of a partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static IAsyncEnumerable<TableEntity> QueryPrefixAsync(this ITableStore store, string table, string partitionKey, string prefix, CancellationToken ct) =>
        store.QueryAsync(table, partitionKey, prefix, PrefixEnd(prefix), ct);

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>.</summary>
    public static string? PrefixEnd(string prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < char.MaxValue)
            {
                return prefix[..i] + (char)(prefix[i] + 1);
            }
        }
        return null;
    }

    public static async Task<List<TableEntity>> ToListAsync(this IAsyncEnumerable<TableEntity> rows, CancellationToken ct)
    {
        var list = new List<TableEntity>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row);
        }
        return list;
    }
}
