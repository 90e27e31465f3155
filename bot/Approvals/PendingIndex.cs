using EmpowerBot.Storage;

namespace EmpowerBot.Approvals;

/// <summary>
/// Rows in the tenant's approvals partition naming each waiting request once per approver and once for its requester:
/// <c>pending|by|{approver}|{id}</c> and <c>pending|for|{requester}|{id}</c> (person keys lower-cased, as people are
/// matched without case). A prefix query then reads one person's waiting requests, however many the tenant ever had.
/// <c>index|pending</c> marks a tenant whose requests stored before the index have been indexed.
/// </summary>
internal static class PendingIndex
{
    public const string Marker = "index|pending";

    public static string ByApprover(string approverKey) => $"pending|by|{approverKey.ToLowerInvariant()}|";

    public static string ForRequester(string requesterKey) => $"pending|for|{requesterKey.ToLowerInvariant()}|";

    public static IEnumerable<TableOperation> Add(ApprovalRequest r) =>
        RowKeys(r).Select(key => TableOperation.Upsert(new TableEntity(r.TenantId, key, new Dictionary<string, object?> { ["createdAt"] = r.CreatedAt })));

    public static IEnumerable<TableOperation> Remove(ApprovalRequest r) =>
        RowKeys(r).Select(key => TableOperation.Delete(r.TenantId, key, "*"));

    /// <summary>The rows of these approvers only: they are no longer asked, the request still waits.</summary>
    public static IEnumerable<TableOperation> RemoveApprovers(ApprovalRequest r, IEnumerable<string> approverKeys) =>
        approverKeys.Select(a => ByApprover(a) + r.Id).Distinct(StringComparer.Ordinal).Select(key => TableOperation.Delete(r.TenantId, key, "*"));

    private static IEnumerable<string> RowKeys(ApprovalRequest r) =>
        r.Approvers.Select(a => ByApprover(a) + r.Id).Append(ForRequester(r.RequesterKey) + r.Id).Distinct(StringComparer.Ordinal);
}
