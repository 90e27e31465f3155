using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

/// <summary>
/// Moves the requests waiting for one approver to others, with the pending index, and gets each card to whoever now has
/// it: when an approver goes away with cover (<see cref="AwayCommand"/>), and when one is removed from their team or is
/// no longer a manager (<see cref="IApproverChanges"/>), so no request is left waiting for someone who cannot decide.
/// </summary>
public sealed class ApproverHandOver(ApprovalStore approvals, ApprovalCardDelivery delivery, Approvers approvers, Roster roster, OutboxWriter outbox,
    TimeProvider clock, ILogger<ApproverHandOver> log) : IApproverChanges
{
    private const int MaxAttempts = 8;

    /// <summary>
    /// Hands every request waiting for <paramref name="fromKey"/> to the approvers <paramref name="to"/> gives for it (never
    /// the rep who asked); a request <paramref name="to"/> has nobody for stays as it is. Returns how many moved.
    /// </summary>
    public async Task<int> MoveAsync(string tenantId, string fromKey, Func<ApprovalRequest, IReadOnlyList<string>> to, CancellationToken ct)
    {
        var moved = 0;
        var now = clock.GetUtcNow();
        foreach (var waiting in await approvals.PendingForApproverAsync(tenantId, fromKey, ct))
        {
            var request = waiting;
            for (var attempt = 0; attempt < MaxAttempts && request is { IsPending: true } && request.Approvers.Contains(fromKey, StringComparer.OrdinalIgnoreCase); attempt++)
            {
                var next = to(request).Where(a => !Same(a, request.RequesterKey)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (next.Count == 0) break;
                // Queued first: a crash right after the move still gets the card to whoever has it now.
                await outbox.EnqueueAsync(ApprovalSchedule.Deliver(new ApprovalRef(request.TenantId, request.Id), now + TimeSpan.FromMinutes(1)), ct);
                var handed = request with { Approvers = next };
                if (await approvals.TryReassignAsync(request, handed, ct))
                {
                    await delivery.SendMissingAsync(handed, now, ct);
                    await delivery.RefreshRepAsync(handed, $"handover-{now.UtcTicks}", now, ct);
                    moved++;
                    break;
                }
                request = await approvals.GetAsync(request.TenantId, request.Id, ct);
            }
        }
        return moved;
    }

    /// <summary>
    /// Someone is no longer an approver: each request waiting for them keeps its other approvers, or, when they were the
    /// only one, goes to whoever the requester's team would ask now (else the fallback approvers).
    /// </summary>
    public async Task<int> ApproverRemovedAsync(string tenantId, string personKey, CancellationToken ct)
    {
        if (approvers.MayApprove(roster.Resolve(tenantId, personKey, null))) return 0; // still an approver (another team, a fallback)
        var now = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var request in await approvals.PendingForApproverAsync(tenantId, personKey, ct))
        {
            var others = request.Approvers.Where(a => !Same(a, personKey)).ToList();
            if (others.Count > 0) { now[request.Id] = others; continue; }
            var requester = roster.Resolve(tenantId, request.RequesterKey, request.RequesterName);
            now[request.Id] = (await approvers.ForAsync(requester, new Money(request.AmountMinor, Currency.Of(request.Currency)), ct))
                .Select(m => m.PersonKey).Where(k => !Same(k, personKey)).ToList();
        }
        var moved = await MoveAsync(tenantId, personKey, r => now.TryGetValue(r.Id, out var to) ? to : [], ct);
        if (moved > 0) log.LogInformation("{Person} is no longer an approver: {Moved} waiting request(s) handed to the others", personKey, moved);
        return moved;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
