using Azure;
using Azure.Data.Tables;
using AzureEntity = Azure.Data.Tables.TableEntity;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// A validated batch as SDK calls: one operation as the matching entity call (no multipart envelope), several as one
/// entity group transaction. Returns each row's new ETag (null for deletes); the SDK's exceptions pass through for
/// <see cref="TableFailures"/>, and an answer without the ETags it owes is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class TableWrites
{
    public static async Task<string?> SubmitOneAsync(TableClient client, TableOperation op, AzureEntity entity, CancellationToken ct)
    {
        var response = op.Kind switch
        {
            TableOperationKind.Insert => await client.AddEntityAsync(entity, ct).ConfigureAwait(false),
            TableOperationKind.Replace => await client.UpdateEntityAsync(entity, new ETag(op.IfMatch!), TableUpdateMode.Replace, ct).ConfigureAwait(false),
            TableOperationKind.Upsert => await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false),
            _ => await client.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, new ETag(op.IfMatch!), ct).ConfigureAwait(false),
        };
        if (op.Kind == TableOperationKind.Delete)
        {
            // The SDK answers a delete of a missing row with its 404 rather than an exception.
            return response.Status == 404 ? throw new RequestFailedException(response) : null;
        }
        return ETagOf(response, client, 0);
    }

    public static async Task<IReadOnlyList<string?>> SubmitTransactionAsync(TableClient client, TableOperation[] ops, AzureEntity[] entities, CancellationToken ct)
    {
        var actions = new TableTransactionAction[ops.Length];
        for (var i = 0; i < ops.Length; i++)
        {
            actions[i] = ops[i].Kind switch
            {
                TableOperationKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, entities[i]),
                TableOperationKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, entities[i], new ETag(ops[i].IfMatch!)),
                TableOperationKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entities[i]),
                _ => new TableTransactionAction(TableTransactionActionType.Delete, entities[i], new ETag(ops[i].IfMatch!)),
            };
        }
        var answers = (await client.SubmitTransactionAsync(actions, ct).ConfigureAwait(false)).Value;
        if (answers.Count != ops.Length)
        {
            throw new InvalidDataException($"it holds {answers.Count} answers for {ops.Length} operations");
        }
        var etags = new string?[ops.Length];
        for (var i = 0; i < ops.Length; i++)
        {
            etags[i] = ops[i].Kind == TableOperationKind.Delete ? null : ETagOf(answers[i], client, i);
        }
        return etags;
    }

    private static string ETagOf(Response response, TableClient client, int index) =>
        response.Headers.ETag is { } etag && etag != default
            ? etag.ToString()
            : throw new InvalidDataException($"answer {index} for table '{client.Name}' carries no ETag");
}
