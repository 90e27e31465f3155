using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>
/// Builds the approval card as a given person should see it: with the rep's month and the customer's recent credits,
/// and with Approve/Decline only for a designated approver while the request is pending.
/// </summary>
public sealed class ApprovalCardFactory(Roster roster, Ledger ledger, CustomerIndex customers, PeopleDirectory people, CardCopyStore copies, TimeProvider clock)
{
    private static readonly TimeSpan History = TimeSpan.FromDays(90);

    public async Task<CardReply> ForAsync(ApprovalRequest request, string viewerKey, CancellationToken ct)
    {
        var requester = roster.Resolve(request.TenantId, request.RequesterKey, request.RequesterName);
        var team = requester.Team;
        var currency = Currency.Of(request.Currency);
        var budget = team is null ? null : await ledger.GetStatusAsync(requester, team, ct);
        var history = (await customers.RecentAsync(request.TenantId, request.Customer, currency, clock.GetUtcNow() - History, ct))
            .Where(c => c.Uid != request.Id).ToList();
        var canDecide = request.Approvers.Contains(viewerKey, StringComparer.OrdinalIgnoreCase)
            && !string.Equals(viewerKey, request.RequesterKey, StringComparison.OrdinalIgnoreCase);
        return ApprovalCards.Build(request, team, new ApprovalContext(budget, history), canDecide, await RefreshUserIdsAsync(request, ct));
    }

    /// <summary>The approvers' ids in their channel, so the client refreshes the card (and shows buttons) only for them.</summary>
    private async Task<IReadOnlyList<string>> RefreshUserIdsAsync(ApprovalRequest request, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var approver in request.Approvers)
        {
            if (await people.FindReferenceAsync(request.TenantId, approver, ct) is { } reference) ids.Add(reference.UserId);
        }
        foreach (var copy in await copies.ListAsync(request, ct))
        {
            if (!ids.Contains(copy.UserId)) ids.Add(copy.UserId);
        }
        return ids;
    }
}
