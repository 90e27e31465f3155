namespace EmpowerBot.Storage;

/// <summary>
/// One row of a table, addressed by (partition key, row key), shaped like an Azure Table entity.
/// Property values are limited to what both backends store faithfully:
/// string, long, int (read back as long), double, bool, DateTimeOffset.
/// </summary>
public sealed record TableEntity(
    string PartitionKey,
    string RowKey,
    IReadOnlyDictionary<string, object?> Properties,
    string? ETag = null)
{
    public TableEntity(string partitionKey, string rowKey) : this(partitionKey, rowKey, new Dictionary<string, object?>()) { }

    public string? GetString(string name) => Properties.TryGetValue(name, out var v) ? v as string : null;

    public long GetInt64(string name, long fallback = 0) => Properties.TryGetValue(name, out var v) ? v switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        _ => fallback,
    } : fallback;

    public bool GetBool(string name, bool fallback = false) =>
        Properties.TryGetValue(name, out var v) && v is bool b ? b : fallback;

    public DateTimeOffset? GetTime(string name) =>
        Properties.TryGetValue(name, out var v) && v is DateTimeOffset t ? t : null;

    public double GetDouble(string name, double fallback = 0) => Properties.TryGetValue(name, out var v) ? v switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => fallback,
    } : fallback;
}
