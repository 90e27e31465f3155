using System.Text;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>One entity operation as the REST API spells it: verb, address, condition and body.</summary>
internal sealed record TableRequest(HttpMethod Method, string Url, string? IfMatch, byte[]? Body);

/// <summary>
/// Addresses and OData literals of the Table REST API. Keys travel inside quoted OData literals in the path
/// (<c>table(PartitionKey='a',RowKey='b')</c>) and in $filter: a single quote is doubled first, then the literal
/// is percent-encoded, as "Query Entities" prescribes.
/// </summary>
internal static class TableRequests
{
    public const string JsonAccept = "application/json;odata=minimalmetadata";

    public static string TableUrl(string root, string table) => $"{root}/{table}";

    public static string EntityUrl(string root, string table, string partitionKey, string rowKey) =>
        $"{root}/{table}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    public static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    /// <summary>The unescaped OData filter of one partition's rows within [from, to).</summary>
    public static string PartitionFilter(string partitionKey, string? fromRowKey, string? toRowKey)
    {
        var filter = new StringBuilder("PartitionKey eq ").Append(Literal(partitionKey));
        if (fromRowKey is not null)
        {
            filter.Append(" and RowKey ge ").Append(Literal(fromRowKey));
        }
        if (toRowKey is not null)
        {
            filter.Append(" and RowKey lt ").Append(Literal(toRowKey));
        }
        return filter.ToString();
    }

    /// <summary>A page of a partition query; continuation tokens are opaque and go back exactly as received.</summary>
    public static string QueryUrl(string root, string table, string filter, int? top, string? nextPartitionKey, string? nextRowKey)
    {
        var url = new StringBuilder(root).Append('/').Append(table).Append("()?$filter=").Append(Uri.EscapeDataString(filter));
        if (top is { } pageSize)
        {
            url.Append("&$top=").Append(pageSize);
        }
        if (nextPartitionKey is not null)
        {
            url.Append("&NextPartitionKey=").Append(Uri.EscapeDataString(nextPartitionKey));
        }
        if (nextRowKey is not null)
        {
            url.Append("&NextRowKey=").Append(Uri.EscapeDataString(nextRowKey));
        }
        return url.ToString();
    }

    /// <summary>
    /// Insert is a POST to the table; Replace a PUT with If-Match; Upsert a PUT without it (Insert Or Replace —
    /// never a merge, so properties left out are removed); Delete a DELETE with If-Match.
    /// </summary>
    public static TableRequest For(string root, string table, TableOperation op, byte[]? body) => op.Kind switch
    {
        TableOperationKind.Insert => new(HttpMethod.Post, TableUrl(root, table), null, body),
        TableOperationKind.Replace => new(HttpMethod.Put, EntityUrl(root, table, op.Entity.PartitionKey, op.Entity.RowKey), op.IfMatch, body),
        TableOperationKind.Upsert => new(HttpMethod.Put, EntityUrl(root, table, op.Entity.PartitionKey, op.Entity.RowKey), null, body),
        TableOperationKind.Delete => new(HttpMethod.Delete, EntityUrl(root, table, op.Entity.PartitionKey, op.Entity.RowKey), op.IfMatch, null),
        _ => throw new ArgumentException($"Unknown operation kind {op.Kind}."),
    };

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
