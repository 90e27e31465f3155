using Azure;
using Azure.Data.Tables;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// What a failure of the Azure SDK means for the caller: a failed condition is a <see cref="StorageConflictException"/>
/// for the domain to re-read and re-decide (never retried); a refused argument an <see cref="ArgumentException"/>;
/// anything else, transport failures included, a <see cref="StorageUnavailableException"/> naming the endpoint.
/// Messages carry the status and error code only: the SDK's own message lists response headers and content.
/// </summary>
internal static class TableFailures
{
    /// <summary>The failure of a batch, or of a single operation (index 0).</summary>
    public static Exception ForBatch(RequestFailedException e, IReadOnlyList<TableOperation> ops, string table, string endpoint)
    {
        // The SDK reads the failing action's index from the service's answer; a batch of one can only fail at 0.
        var index = e is TableTransactionFailedException { FailedTransactionActionIndex: int i } ? i : ops.Count == 1 ? 0 : (int?)null;
        if (index is int at && at >= 0 && at < ops.Count)
        {
            return ForOperation(e, at, ops[at], table, endpoint);
        }
        return Reason(e) is null
            ? ForRequest(e, endpoint, $"a batch of {ops.Count} operations on table '{table}'")
            : Unreadable(endpoint, $"it reports {Describe(e)} without saying which operation failed", e);
    }

    /// <summary>A failed request that is not a row condition.</summary>
    public static Exception ForRequest(RequestFailedException e, string endpoint, string what) => (e.Status, e.ErrorCode) switch
    {
        (0, _) => Unreachable(e, endpoint),
        (400 or 413, _) => new ArgumentException($"The table service at {endpoint} refused {what}: {Describe(e)}"),
        (401 or 403, _) => new StorageUnavailableException(
            $"The table service at {endpoint} refused the bot's credentials for {what} ({Describe(e)}). Check Storage:ConnectionString, " +
            "or that the managed identity holds the Storage Table Data Contributor role.", e),
        (404, "TableNotFound") => new StorageUnavailableException(
            $"The table service at {endpoint} has no table for {what}; the bot creates its tables at start-up, so it was deleted since.", e),
        _ => new StorageUnavailableException($"The table service at {endpoint} failed {what}: {Describe(e)}", e),
    };

    /// <summary>
    /// What is left when the SDK's retries give up without an answer: no connection, attempt timeouts, no Entra token.
    /// Null for anything else, which is a bug to surface as it is.
    /// </summary>
    public static StorageUnavailableException? ForTransport(Exception e, string endpoint, CancellationToken ct) => e switch
    {
        RequestFailedException { Status: 0 } => Unreachable(e, endpoint),
        // The SDK's retry policy gathers the failure of every attempt.
        AggregateException all when all.InnerExceptions.All(inner => ForTransport(inner, endpoint, ct) is not null) =>
            Unreachable(all.InnerExceptions[^1], endpoint, all),
        // An answer cut short: whatever it said is unknown.
        IOException => Unreadable(endpoint, e.Message, e),
        OperationCanceledException when !ct.IsCancellationRequested => Unreachable(e, endpoint),
        Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException => new StorageUnavailableException(
            $"The bot could not get a Microsoft Entra token for the table service at {endpoint} ({e.GetType().Name}); check the managed identity.", e),
        _ => null,
    };

    public static StorageUnavailableException Unreadable(string endpoint, string why, Exception? inner = null) =>
        new($"The table service at {endpoint} sent an answer that cannot be read ({why}); re-read before assuming anything was written.", inner);

    private static Exception ForOperation(RequestFailedException e, int index, TableOperation op, string table, string endpoint) =>
        Reason(e) is { } reason
            ? new StorageConflictException(index, reason,
                $"Operation {index} ({op.Kind} of row '{op.Entity.RowKey}' in table '{table}') failed: {reason} ({e.ErrorCode}). Nothing of the batch was written.")
            : ForRequest(e, endpoint, $"operation {index} ({op.Kind} of row '{op.Entity.RowKey}' in table '{table}')");

    private static ConflictReason? Reason(RequestFailedException e) => (e.Status, e.ErrorCode) switch
    {
        (409, "EntityAlreadyExists" or null or "") => ConflictReason.EntityExists,
        (412, _) => ConflictReason.PreconditionFailed,
        (404, not "TableNotFound") => ConflictReason.NotFound,
        _ => null,
    };

    private static StorageUnavailableException Unreachable(Exception e, string endpoint, Exception? inner = null) => new(
        $"The table service at {endpoint} is unreachable ({(e.InnerException ?? e).GetType().Name}); nothing can be assumed written until it is read back.", inner ?? e);

    private static string Describe(RequestFailedException e) => $"{e.Status} {e.ErrorCode}".TrimEnd();
}
