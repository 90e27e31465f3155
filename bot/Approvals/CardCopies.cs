using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using EmpowerBot.Storage;

namespace EmpowerBot.Approvals;

/// <summary>Pending until the copy shows the outcome (Updated), or Gone when its chat or message no longer exists.</summary>
public enum CardCopyState { Pending, Updated, Gone }

/// <summary>A copy of the approval card in someone's chat, kept so every copy can show the outcome later.</summary>
public sealed record CardCopy(string PersonKey, string ChannelId, string ServiceUrl, string ConversationId, string? ConversationType,
    string? TenantId, string UserId, string BotId, string ActivityId, CardCopyState State = CardCopyState.Pending, string? ETag = null)
{
    /// <summary>
    /// Names the copy in its row key and its outbox messages: the same for the same message in the same chat, in every
    /// process, so recording it twice or settling twice addresses one copy. Never change it: it names existing rows.
    /// </summary>
    [JsonIgnore]
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ConversationId + "\n" + ActivityId)).AsSpan(0, 8));
}

/// <summary>
/// Card copies have their own rows, <c>{approvalId}|copy|{key}</c> in the approval's partition, so recording a copy or
/// marking it updated never competes with the decision for the request's row. Requests stored before kept their copies
/// on the request row (<see cref="ApprovalRequest.Cards"/>); those are read too, and get rows when settled.
/// </summary>
public sealed class CardCopyStore(ITableStore store)
{
    public static string RowKey(string approvalId, string key) => $"{approvalId}|copy|{key}";

    public static string Prefix(string approvalId) => $"{approvalId}|copy|";

    /// <summary>Records the copy; false when it was recorded already.</summary>
    public async Task<bool> RecordAsync(string tenantId, string approvalId, CardCopy copy, CancellationToken ct)
    {
        try
        {
            await store.InsertAsync(Tables.Approvals, ToEntity(tenantId, approvalId, copy with { State = CardCopyState.Pending }), ct);
            return true;
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists)
        {
            return false;
        }
    }

    /// <summary>Records that the card can never reach this approver: <c>{approvalId}|unreachable|{person}</c>.</summary>
    public Task MarkUnreachableAsync(string tenantId, string approvalId, string personKey, CancellationToken ct) =>
        store.UpsertAsync(Tables.Approvals, new TableEntity(tenantId, $"{approvalId}|unreachable|{personKey.ToLowerInvariant()}",
            new Dictionary<string, object?> { ["person"] = personKey }), ct);

    /// <summary>The approvers the card can never reach, by person key as recorded.</summary>
    public async Task<HashSet<string>> UnreachableAsync(string tenantId, string approvalId, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in store.QueryPrefixAsync(Tables.Approvals, tenantId, $"{approvalId}|unreachable|", ct))
            if (row.GetString("person") is { } person) found.Add(person);
        return found;
    }

    public async Task<CardCopy?> GetAsync(string tenantId, string approvalId, string key, CancellationToken ct) =>
        await store.GetAsync(Tables.Approvals, tenantId, RowKey(approvalId, key), ct) is { } row ? FromEntity(row) : null;

    /// <summary>
    /// Every approver's copy of the request's card: its rows, and any kept on a request row of the older shape not yet
    /// given one. The rep's own card (recorded so it is updated too) is not one of them.
    /// </summary>
    public async Task<IReadOnlyList<CardCopy>> ListAsync(ApprovalRequest request, CancellationToken ct)
    {
        var copies = await StoredAsync(request, ct);
        copies.AddRange(request.CardCopies.Where(old => copies.All(c => c.Key != old.Key)));
        return copies.Where(c => !string.Equals(c.PersonKey, request.RequesterKey, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Every copy as a row, the rep's own card included: copies kept on a request row of the older shape are given rows first.</summary>
    public async Task<IReadOnlyList<CardCopy>> RowsAsync(ApprovalRequest request, CancellationToken ct)
    {
        foreach (var old in request.CardCopies) await RecordAsync(request.TenantId, request.Id, old, ct);
        return await StoredAsync(request, ct);
    }

    private async Task<List<CardCopy>> StoredAsync(ApprovalRequest request, CancellationToken ct) =>
        (await store.QueryPrefixAsync(Tables.Approvals, request.TenantId, Prefix(request.Id), ct).ToListAsync(ct)).Select(FromEntity).ToList();

    /// <summary>Moves a copy on from Pending; false when someone else already did (or it changed since it was read).</summary>
    public async Task<bool> TryMarkAsync(string tenantId, string approvalId, CardCopy copy, CardCopyState state, CancellationToken ct)
    {
        try
        {
            await store.ReplaceAsync(Tables.Approvals, ToEntity(tenantId, approvalId, copy with { State = state }), copy.ETag!, ct);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(string tenantId, string approvalId, CardCopy c) => new(tenantId, RowKey(approvalId, c.Key), new Dictionary<string, object?>
    {
        ["state"] = c.State.ToString(),
        ["personKey"] = c.PersonKey,
        ["channelId"] = c.ChannelId,
        ["serviceUrl"] = c.ServiceUrl,
        ["conversationId"] = c.ConversationId,
        ["conversationType"] = c.ConversationType,
        ["tenantId"] = c.TenantId,
        ["userId"] = c.UserId,
        ["botId"] = c.BotId,
        ["activityId"] = c.ActivityId,
    }.Where(p => p.Value is not null).ToDictionary());

    private static CardCopy FromEntity(TableEntity e) => new(
        e.GetString("personKey") ?? "",
        e.GetString("channelId") ?? "",
        e.GetString("serviceUrl") ?? "",
        e.GetString("conversationId") ?? "",
        e.GetString("conversationType"),
        e.GetString("tenantId"),
        e.GetString("userId") ?? "",
        e.GetString("botId") ?? "",
        e.GetString("activityId") ?? "",
        Enum.TryParse<CardCopyState>(e.GetString("state"), out var s) ? s : CardCopyState.Pending,
        e.ETag);
}
