using EmpowerBot.Storage;

namespace EmpowerBot.Approvals;

/// <summary>
/// The approvals table: one partition per tenant, so a request is only ever found within its own tenant. Requests
/// waiting for a decision are also found through the pending index (<see cref="PendingIndex"/>), whose rows are written
/// and removed in the same batch as the request, so `approvals` and `status` read what waits, not the tenant's history;
/// and every request through the month index (<see cref="MonthIndex"/>), kept in the same batches, so the team view counts a
/// month's exceptions from the month's rows.
/// </summary>
public sealed class ApprovalStore(ITableStore store, ILogger<ApprovalStore> log)
{
    public async Task<ApprovalRequest?> GetAsync(string tenantId, string id, CancellationToken ct) =>
        await store.GetAsync(Tables.Approvals, tenantId, id, ct) is { } row ? ApprovalRequest.FromEntity(row) : null;

    /// <summary>Creates the request with its index rows, or returns the one already stored (a redelivery or a retry of the same step).</summary>
    public async Task<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken ct)
    {
        var indexed = request with { Indexed = true };
        try
        {
            var etags = await store.SubmitAsync(Tables.Approvals, [TableOperation.Insert(indexed.ToEntity()), .. PendingIndex.Add(indexed), MonthIndex.Write(indexed)], ct);
            return indexed with { ETag = etags[0] };
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists && e.OperationIndex == 0)
        {
            return await GetAsync(request.TenantId, request.Id, ct) ?? request;
        }
    }

    /// <summary>
    /// Replaces the request if nobody changed it since it was read; false on a conflict. A request that stops waiting
    /// leaves the pending index in the same batch. (Its approvers and requester are fixed once it is asked.)
    /// </summary>
    public async Task<bool> TryReplaceAsync(ApprovalRequest request, CancellationToken ct)
    {
        try
        {
            if (request is { Indexed: true, IsPending: false })
            {
                var done = request with { Indexed = false };
                await store.SubmitAsync(Tables.Approvals, [TableOperation.Replace(done.ToEntity(), request.ETag!), .. PendingIndex.Remove(request), MonthIndex.Write(done)], ct);
            }
            else
            {
                await store.SubmitAsync(Tables.Approvals, [TableOperation.Replace(request.ToEntity(), request.ETag!), MonthIndex.Write(request)], ct);
            }
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives a waiting request to other approvers if nobody changed it since it was read; false on a conflict. The
    /// pending index moves in the same batch: the approvers no longer asked leave it, the new ones join it.
    /// </summary>
    public async Task<bool> TryReassignAsync(ApprovalRequest request, ApprovalRequest passed, CancellationToken ct)
    {
        var gone = PendingIndex.RemoveApprovers(request, request.Approvers.Except(passed.Approvers, StringComparer.OrdinalIgnoreCase));
        try
        {
            var moved = passed with { Indexed = true };
            await store.SubmitAsync(Tables.Approvals, [TableOperation.Replace(moved.ToEntity(), request.ETag!), .. gone, .. PendingIndex.Add(moved)], ct);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    /// <summary>Requests waiting for this approver's decision, oldest first.</summary>
    public Task<List<ApprovalRequest>> PendingForApproverAsync(string tenantId, string approverKey, CancellationToken ct) =>
        PendingAsync(tenantId, PendingIndex.ByApprover(approverKey),
            r => r.Approvers.Contains(approverKey, StringComparer.OrdinalIgnoreCase), ct);

    /// <summary>This rep's requests waiting for a decision, oldest first.</summary>
    public Task<List<ApprovalRequest>> PendingForRequesterAsync(string tenantId, string requesterKey, CancellationToken ct) =>
        PendingAsync(tenantId, PendingIndex.ForRequester(requesterKey),
            r => string.Equals(r.RequesterKey, requesterKey, StringComparison.OrdinalIgnoreCase), ct);

    private async Task<List<ApprovalRequest>> PendingAsync(string tenantId, string prefix, Func<ApprovalRequest, bool> whose, CancellationToken ct)
    {
        await EnsureIndexedAsync(tenantId, PendingIndex.Marker, IndexTenantAsync, ct);
        var ids = (await store.QueryPrefixAsync(Tables.Approvals, tenantId, prefix, ct).ToListAsync(ct)).Select(r => r.RowKey[prefix.Length..]);
        // The request row is the truth: an index row is only where to look.
        var requests = await Task.WhenAll(ids.Select(id => GetAsync(tenantId, id, ct)));
        return requests.OfType<ApprovalRequest>().Where(r => r.IsPending && whose(r)).OrderBy(r => r.CreatedAt).ToList();
    }

    /// <summary>Indexes the waiting requests of a tenant stored before the pending index existed (one decided meanwhile is left out).</summary>
    private Task IndexTenantAsync(string tenantId, CancellationToken ct) =>
        IndexOnceAsync(tenantId, PendingIndex.Marker, "pending", r => r is { IsPending: true, Indexed: false },
            r => [TableOperation.Replace((r with { Indexed = true }).ToEntity(), r.ETag!), .. PendingIndex.Add(r with { Indexed = true })], ct);

    /// <summary>Puts the requests of a tenant stored before the month index in it (one changed meanwhile wrote its own row).</summary>
    private Task IndexMonthsAsync(string tenantId, CancellationToken ct) =>
        IndexOnceAsync(tenantId, MonthIndex.Marker, "by month", _ => true,
            r => [TableOperation.Replace(r.ToEntity(), r.ETag!), MonthIndex.Write(r)], ct);

    /// <summary>
    /// Indexes a tenant's requests stored before an index existed, then marks the tenant with <paramref name="marker"/>.
    /// Idempotent, resumable and safe beside other instances: each request's rows are written in one batch with the request
    /// under the ETag it was read at, so a request changed meanwhile (by a change that kept the index itself) is left as
    /// it is; new requests are indexed as they are asked; the mark is written last, so a run cut short starts again.
    /// </summary>
    private async Task IndexOnceAsync(string tenantId, string marker, string index, Func<ApprovalRequest, bool> which,
        Func<ApprovalRequest, IReadOnlyList<TableOperation>> rows, CancellationToken ct)
    {
        var indexed = 0;
        foreach (var request in await ListAsync(tenantId, which, ct))
        {
            try
            {
                await store.SubmitAsync(Tables.Approvals, rows(request), ct);
                indexed++;
            }
            catch (StorageConflictException)
            {
                // Changed since it was read: its change kept the index, or another instance indexed it.
            }
        }
        try
        {
            await store.InsertAsync(Tables.Approvals, new TableEntity(tenantId, marker, new Dictionary<string, object?> { ["at"] = DateTimeOffset.UtcNow }), ct);
            log.LogInformation("Approvals of tenant indexed {Index}: {Count} requests", index, indexed);
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists)
        {
        }
    }

    /// <summary>
    /// The requests asked in [<paramref name="from"/>, <paramref name="to"/>): by these requesters only (one prefix read
    /// per requester and month), or by anyone in the tenant when <paramref name="requesterKeys"/> is null.
    /// </summary>
    public async Task<List<ApprovalOutcome>> OutcomesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string>? requesterKeys, CancellationToken ct)
    {
        await EnsureIndexedAsync(tenantId, MonthIndex.Marker, IndexMonthsAsync, ct);
        var prefixes = MonthIndex.Months(from, to)
            .SelectMany(month => requesterKeys is null ? [MonthIndex.Of(month)] : requesterKeys.Select(k => MonthIndex.Of(month, k)))
            .Distinct(StringComparer.Ordinal);
        var pages = await Task.WhenAll(prefixes.Select(prefix => store.QueryPrefixAsync(Tables.Approvals, tenantId, prefix, ct).ToListAsync(ct)));
        return pages.SelectMany(rows => rows).Select(MonthIndex.Read).Where(o => o.CreatedAt >= from && o.CreatedAt < to).ToList();
    }

    // Tenants whose marker this instance has seen: a marker is never removed, so each is read once per instance.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Tenant, string Marker), bool> indexed = new();

    /// <summary>Indexes the tenant's older requests with <paramref name="index"/> unless its <paramref name="marker"/> says that was done.</summary>
    private async Task EnsureIndexedAsync(string tenantId, string marker, Func<string, CancellationToken, Task> index, CancellationToken ct)
    {
        if (indexed.ContainsKey((tenantId, marker))) return;
        if (await store.GetAsync(Tables.Approvals, tenantId, marker, ct) is null) await index(tenantId, ct);
        indexed[(tenantId, marker)] = true;
    }

    public async Task<List<ApprovalRequest>> ListAsync(string tenantId, Func<ApprovalRequest, bool> where, CancellationToken ct)
    {
        var list = new List<ApprovalRequest>();
        await foreach (var row in store.QueryAsync(Tables.Approvals, tenantId, null, null, ct))
        {
            // Card copies ({id}|copy|{key}) and index rows (pending|…, index|…) share the partition; requests' ids have no '|'.
            if (row.RowKey.Contains('|')) continue;
            var request = ApprovalRequest.FromEntity(row);
            if (where(request)) list.Add(request);
        }
        return list;
    }
}
