using System.Globalization;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// What an answer of the table service means for the caller: a failed condition is a
/// <see cref="StorageConflictException"/> for the domain to re-read and re-decide (never retried here); a refused
/// argument an <see cref="ArgumentException"/>; anything else a <see cref="StorageUnavailableException"/> naming the endpoint.
/// </summary>
internal static class TableFailures
{
    /// <summary>The failure of operation <paramref name="index"/> of a batch (or of a single operation, index 0).</summary>
    public static Exception ForOperation(TableServiceError error, int index, TableOperation op, string table, string endpoint)
    {
        ConflictReason? reason = (error.Status, error.Code) switch
        {
            (409, "EntityAlreadyExists" or "") => ConflictReason.EntityExists,
            (412, _) => ConflictReason.PreconditionFailed,
            (404, not "TableNotFound") => ConflictReason.NotFound,
            _ => null,
        };
        return reason is { } r
            ? new StorageConflictException(index, r,
                $"Operation {index} ({op.Kind} of row '{op.Entity.RowKey}' in table '{table}') failed: {r} ({error.Code}). Nothing of the batch was written.")
            : ForRequest(error, endpoint, $"operation {index} ({op.Kind} of row '{op.Entity.RowKey}' in table '{table}')");
    }

    /// <summary>A failed request that is not a row condition.</summary>
    public static Exception ForRequest(TableServiceError error, string endpoint, string what) => error.Status switch
    {
        400 or 413 => new ArgumentException($"The table service at {endpoint} refused {what}: {error}"),
        401 or 403 => new StorageUnavailableException(
            $"The table service at {endpoint} refused the bot's credentials for {what} ({error}). Check Storage:ConnectionString, " +
            "or that the managed identity holds the Storage Table Data Contributor role."),
        404 when error.Code == "TableNotFound" => new StorageUnavailableException(
            $"The table service at {endpoint} has no table for {what}; the bot creates its tables at start-up, so it was deleted since."),
        _ => new StorageUnavailableException($"The table service at {endpoint} failed {what}: {error}"),
    };

    /// <summary>
    /// The ETags of a committed batch (null for deletes), or the exception of its failing operation. An answer that
    /// does not say what happened is a <see cref="StorageUnavailableException"/>: the caller must re-read.
    /// </summary>
    public static IReadOnlyList<string?> BatchOutcome(IReadOnlyList<TableBatchPart> parts, IReadOnlyList<TableOperation> ops, string table, string endpoint)
    {
        if (parts.FirstOrDefault(p => p.Status is < 200 or >= 300) is { } failed)
        {
            var error = TableServiceError.Read(failed.Status, null, failed.Body);
            // The service names the index in the message ("2:…"); Content-ID (1-based, Azurite) is the fallback.
            var index = error.OperationIndex ?? ContentIndex(failed) ?? (ops.Count == 1 ? 0 : null);
            if (index is not int i || i < 0 || i >= ops.Count)
            {
                throw Unreadable(endpoint, $"it reports {error} without saying which operation failed");
            }
            throw ForOperation(error, i, ops[i], table, endpoint);
        }
        if (parts.Count != ops.Count)
        {
            throw Unreadable(endpoint, $"it holds {parts.Count} answers for {ops.Count} operations");
        }
        var etags = new string?[ops.Count];
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].Kind != TableOperationKind.Delete)
            {
                etags[i] = parts[i].Headers.TryGetValue("ETag", out var etag) && etag.Length > 0
                    ? etag
                    : throw Unreadable(endpoint, $"answer {i} carries no ETag");
            }
        }
        return etags;
    }

    public static StorageUnavailableException Unreadable(string endpoint, string why, Exception? inner = null) =>
        new($"The table service at {endpoint} sent an answer that cannot be read ({why}); re-read before assuming anything was written.", inner);

    private static int? ContentIndex(TableBatchPart part) =>
        part.Headers.TryGetValue("Content-ID", out var id) && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n - 1 : null;
}
