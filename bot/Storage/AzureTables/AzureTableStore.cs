using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The production table store: Azure Table Storage (or Azurite) over its REST API, JSON with OData annotations.
/// Every call goes through the named HttpClient <see cref="HttpClientName"/>, which carries the resilience pipeline
/// (retries of 408/429/5xx and timeouts, circuit breaker) and signs each attempt. ETag conflicts come back as
/// <see cref="StorageConflictException"/> and are never retried here; the domain re-reads and re-decides.
/// A batch of several operations is one entity group transaction ($batch): all or nothing, within one partition.
/// </summary>
public sealed class AzureTableStore : ITableStore
{
    public const string HttpClientName = "AzureTables";

    private readonly TableServiceClient _service;
    private readonly string _tablePrefix;
    private readonly ILogger<AzureTableStore> _log;

    public AzureTableStore(IHttpClientFactory clients, AzureTablesConnection connection, ILogger<AzureTableStore> log, string tablePrefix = "")
    {
        _service = new TableServiceClient(clients, connection);
        _log = log;
        _tablePrefix = tablePrefix;
    }

    /// <summary>Test seam: rows per query page, so paging can be exercised (null: the service's 1,000).</summary>
    internal int? PageSize { get; set; }

    private string Root => _service.Root;

    public async Task EnsureTablesAsync(IEnumerable<string> tables, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            var name = PhysicalName(table);
            using var request = TableServiceClient.Request(HttpMethod.Post, $"{Root}/Tables", JsonSerializer.SerializeToUtf8Bytes(new { TableName = name }));
            request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
            using var response = await _service.SendAsync(request, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _log.LogInformation("Created table {Table} at {Endpoint}", name, Root);
                continue;
            }
            var error = await TableServiceClient.ErrorAsync(response, ct).ConfigureAwait(false);
            if (error is not { Status: 409, Code: "TableAlreadyExists" })
            {
                throw TableFailures.ForRequest(error, Root, $"creating table '{name}'");
            }
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        var name = PhysicalName(table);
        if (!TableRules.IsValidKey(partitionKey) || !TableRules.IsValidKey(rowKey))
        {
            return null; // no row can be stored under such a key
        }
        using var request = TableServiceClient.Request(HttpMethod.Get, TableRequests.EntityUrl(Root, name, partitionKey, rowKey));
        using var response = await _service.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await TableServiceClient.ErrorAsync(response, ct).ConfigureAwait(false);
            return error is { Status: 404 } && error.Code != "TableNotFound" ? null : throw TableFailures.ForRequest(error, Root, $"reading from table '{table}'");
        }
        using var json = await _service.ReadJsonAsync(response, ct).ConfigureAwait(false);
        return _service.ReadEntity(json.RootElement, ETagOf(response));
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string table, string partitionKey, string? fromRowKey, string? toRowKey, [EnumeratorCancellation] CancellationToken ct)
    {
        var name = PhysicalName(table);
        if (!TableRules.IsValidKey(partitionKey) || (fromRowKey is not null && toRowKey is not null && string.CompareOrdinal(fromRowKey, toRowKey) >= 0))
        {
            yield break;
        }
        var filter = TableRequests.PartitionFilter(partitionKey, fromRowKey, toRowKey);
        string? nextPartition = null, nextRow = null;
        do
        {
            using var request = TableServiceClient.Request(HttpMethod.Get, TableRequests.QueryUrl(Root, name, filter, PageSize, nextPartition, nextRow));
            using var response = await _service.SendAsync(request, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw TableFailures.ForRequest(await TableServiceClient.ErrorAsync(response, ct).ConfigureAwait(false), Root, $"querying table '{table}'");
            }
            // The service may answer a page with fewer rows (even none) and a continuation: follow it until there is none.
            nextPartition = TableServiceClient.Header(response, "x-ms-continuation-NextPartitionKey");
            nextRow = TableServiceClient.Header(response, "x-ms-continuation-NextRowKey");
            using var json = await _service.ReadJsonAsync(response, ct).ConfigureAwait(false);
            if (!json.RootElement.TryGetProperty("value", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw TableFailures.Unreadable(Root, "a query answer without a value array");
            }
            foreach (var row in rows.EnumerateArray())
            {
                yield return _service.ReadEntity(row, etag: null);
            }
        }
        while (nextPartition is not null || nextRow is not null);
    }

    public async Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> batch, CancellationToken ct)
    {
        var name = PhysicalName(table);
        TableRules.ValidateBatch(batch);
        // Copy first: the caller may reuse its list. Encoding also refuses unsupported property types, before any call.
        var ops = batch.ToArray();
        var requests = ops.Select(op => TableRequests.For(Root, name, op, op.Kind == TableOperationKind.Delete ? null : TableEntityJson.Serialize(op.Entity))).ToArray();
        return ops.Length == 1
            ? [await SubmitOneAsync(requests[0], ops[0], table, ct).ConfigureAwait(false)]
            : await SubmitBatchAsync(requests, ops, table, ct).ConfigureAwait(false);
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using var request = TableServiceClient.Request(HttpMethod.Get, $"{Root}/Tables?$top=1");
            using var response = await _service.SendAsync(request, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (StorageUnavailableException e)
        {
            _log.LogWarning(e, "Table service ping failed");
            return false;
        }
    }

    private async Task<string?> SubmitOneAsync(TableRequest op, TableOperation operation, string table, CancellationToken ct)
    {
        using var request = TableServiceClient.Request(op.Method, op.Url, op.Body);
        if (op.IfMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", op.IfMatch);
        }
        if (op.Body is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
        }
        using var response = await _service.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw TableFailures.ForOperation(await TableServiceClient.ErrorAsync(response, ct).ConfigureAwait(false), 0, operation, table, Root);
        }
        return operation.Kind == TableOperationKind.Delete ? null : ETagOf(response) ?? throw TableFailures.Unreadable(Root, "a write answered without an ETag");
    }

    private async Task<IReadOnlyList<string?>> SubmitBatchAsync(TableRequest[] requests, TableOperation[] ops, string table, CancellationToken ct)
    {
        var content = TableBatch.Build(requests);
        if (content.Headers.ContentLength > TableBatch.MaxPayloadBytes)
        {
            content.Dispose();
            throw new ArgumentException($"The batch's payload is over the service's limit of 4 MiB; split it (every operation addresses table '{table}').", "batch");
        }
        using var request = TableServiceClient.Request(HttpMethod.Post, $"{Root}/$batch");
        request.Content = content;
        using var response = await _service.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            // A batch refused as a whole (e.g. 400) still names the operation at fault in its message.
            var error = await TableServiceClient.ErrorAsync(response, ct).ConfigureAwait(false);
            throw error.OperationIndex is int i && i < ops.Length
                ? TableFailures.ForOperation(error, i, ops[i], table, Root)
                : TableFailures.ForRequest(error, Root, $"a batch of {ops.Length} operations on table '{table}'");
        }
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        IReadOnlyList<TableBatchPart> parts;
        try
        {
            parts = TableBatch.ParseResponse(response.Content.Headers.ContentType?.ToString(), body);
        }
        catch (InvalidDataException e)
        {
            throw TableFailures.Unreadable(Root, e.Message, e);
        }
        return TableFailures.BatchOutcome(parts, ops, table, Root);
    }

    private string PhysicalName(string table)
    {
        TableRules.ValidateTableName(table);
        var name = _tablePrefix + table;
        return name.Length <= 63 ? name : throw new ArgumentException($"Table '{table}' with prefix '{_tablePrefix}' is longer than 63 characters.", nameof(table));
    }

    private static string? ETagOf(HttpResponseMessage response) => TableServiceClient.Header(response, "ETag");
}
