using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using AzureEntity = Azure.Data.Tables.TableEntity;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The production table store: Azure Table Storage (or Azurite) through the official Azure.Data.Tables client.
/// The client's pipeline signs every attempt and is the one retry layer (408/429/5xx and transport failures, see
/// <see cref="AzureTablesRegistration"/>). ETag conflicts come back as <see cref="StorageConflictException"/> and are
/// never retried; the domain re-reads and re-decides. A batch of several operations is one entity group
/// transaction: all or nothing, within one partition. <see cref="TableRules"/> is checked before any call, so
/// what the embedded SQLite store refuses is refused here too.
/// </summary>
public sealed class AzureTableStore : ITableStore
{
    /// <summary>The named HttpClient the SDK sends through (no resilience handler of its own: the SDK retries).</summary>
    public const string HttpClientName = "AzureTables";

    /// <summary>The service's limit on a batch request's body.</summary>
    private const long MaxBatchPayloadBytes = 4 * 1024 * 1024;

    private readonly TableServiceClient _service;
    private readonly string _tablePrefix;
    private readonly ILogger<AzureTableStore> _log;
    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);

    public AzureTableStore(TableServiceClient service, ILogger<AzureTableStore> log, string tablePrefix = "")
    {
        _service = service;
        _log = log;
        _tablePrefix = tablePrefix;
        Endpoint = AzureTablesConnection.Describe(service.Uri);
    }

    /// <summary>The account's table endpoint, safe to show: it holds no key or signature.</summary>
    public string Endpoint { get; }

    /// <summary>Test seam: rows per query page, so paging can be exercised (null: the service's 1,000).</summary>
    internal int? PageSize { get; set; }

    public async Task EnsureTablesAsync(IEnumerable<string> tables, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            var client = Table(table);
            try
            {
                var created = await client.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
                if (created.GetRawResponse().Status is 201 or 204)
                {
                    _log.LogInformation("Created table {Table} at {Endpoint}", client.Name, Endpoint);
                }
            }
            catch (Exception e) when (Translate(e, $"creating table '{client.Name}'", ct) is { } failure)
            {
                throw failure;
            }
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        var client = Table(table);
        if (!TableRules.IsValidKey(partitionKey) || !TableRules.IsValidKey(rowKey))
        {
            return null; // no row can be stored under such a key
        }
        try
        {
            var found = await client.GetEntityIfExistsAsync<AzureEntity>(partitionKey, rowKey, cancellationToken: ct).ConfigureAwait(false);
            if (found.HasValue)
            {
                return Read(found.Value!);
            }
            // The SDK answers "no such table" like "no such row"; a missing table is an outage to report, not an
            // empty row for the domain to insert into.
            var answer = found.GetRawResponse();
            return answer.Headers.TryGetValue("x-ms-error-code", out var code) && code == "TableNotFound"
                ? throw new RequestFailedException(answer)
                : null;
        }
        catch (Exception e) when (Translate(e, $"reading from table '{table}'", ct) is { } failure)
        {
            throw failure;
        }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string table, string partitionKey, string? fromRowKey, string? toRowKey, [EnumeratorCancellation] CancellationToken ct)
    {
        var client = Table(table);
        if (!TableRules.IsValidKey(partitionKey) || (fromRowKey is not null && toRowKey is not null && string.CompareOrdinal(fromRowKey, toRowKey) >= 0))
        {
            yield break;
        }
        // The pageable follows continuation tokens, including pages the service answers with fewer rows or none.
        var rows = client.QueryAsync<AzureEntity>(Filter(partitionKey, fromRowKey, toRowKey), PageSize, cancellationToken: ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                try
                {
                    if (!await rows.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (Translate(e, $"querying table '{table}'", ct) is { } failure)
                {
                    throw failure;
                }
                yield return Read(rows.Current);
            }
        }
        finally
        {
            await rows.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> batch, CancellationToken ct)
    {
        var client = Table(table);
        TableRules.ValidateBatch(batch);
        // Copy first: the caller may reuse its list. Mapping also refuses unsupported property types, before any call.
        var ops = batch.ToArray();
        var entities = Array.ConvertAll(ops, op => op.Kind == TableOperationKind.Delete ? new AzureEntity(op.Entity.PartitionKey, op.Entity.RowKey) : AzureEntities.ToAzure(op.Entity));
        if (ops.Length > 1 && ops.Sum(op => AzureEntities.PayloadBytes(op.Entity)) > MaxBatchPayloadBytes)
        {
            throw new ArgumentException($"The batch's payload is over the service's limit of 4 MiB; split it (every operation addresses table '{table}').", nameof(batch));
        }
        try
        {
            return ops.Length == 1
                ? [await TableWrites.SubmitOneAsync(client, ops[0], entities[0], ct).ConfigureAwait(false)]
                : await TableWrites.SubmitTransactionAsync(client, ops, entities, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status != 0)
        {
            throw TableFailures.ForBatch(e, ops, table, Endpoint);
        }
        catch (InvalidDataException e)
        {
            throw TableFailures.Unreadable(Endpoint, e.Message, e);
        }
        catch (Exception e) when (TableFailures.ForTransport(e, Endpoint, ct) is { } failure)
        {
            throw failure;
        }
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var _ in _service.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().WithCancellation(ct).ConfigureAwait(false))
            {
                break;
            }
            return true;
        }
        catch (Exception e) when (Translate(e, "a ping", ct) is { } failure)
        {
            _log.LogWarning("Table service ping failed: {Error}", failure.Message);
            return false;
        }
    }

    private TableEntity Read(AzureEntity entity)
    {
        try
        {
            return AzureEntities.FromAzure(entity);
        }
        catch (InvalidDataException e)
        {
            throw TableFailures.Unreadable(Endpoint, e.Message, e);
        }
    }

    /// <summary>The store's exception for a failed call, or null for one that is no storage failure (left as it is).</summary>
    private Exception? Translate(Exception e, string what, CancellationToken ct) => e switch
    {
        InvalidDataException => TableFailures.Unreadable(Endpoint, e.Message, e),
        RequestFailedException { Status: not 0 } failed => TableFailures.ForRequest(failed, Endpoint, what),
        _ => TableFailures.ForTransport(e, Endpoint, ct),
    };

    private static string Filter(string partitionKey, string? fromRowKey, string? toRowKey) => (fromRowKey, toRowKey) switch
    {
        (null, null) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"),
        (_, null) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {fromRowKey}"),
        (null, _) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey lt {toRowKey}"),
        _ => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {fromRowKey} and RowKey lt {toRowKey}"),
    };

    /// <summary>One client per table, created once: a TableClient is thread-safe and cheap to keep.</summary>
    private TableClient Table(string table)
    {
        if (_tables.TryGetValue(table, out var client))
        {
            return client;
        }
        TableRules.ValidateTableName(table);
        var name = _tablePrefix + table;
        if (name.Length > 63)
        {
            throw new ArgumentException($"Table '{table}' with prefix '{_tablePrefix}' is longer than 63 characters.", nameof(table));
        }
        return _tables.GetOrAdd(table, _service.GetTableClient(name));
    }
}
