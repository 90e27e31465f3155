using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Approvals;

/// <summary>
/// Builds the approval card as a given person should see it: with the rep's month and the customer's recent credits,
/// and with Approve/Decline only for a designated approver while the request is pending.
/// </summary>
public sealed class ApprovalCardFactory(Roster roster, Ledger ledger, CustomerIndex customers, PeopleDirectory people, CardCopyStore copies,
    Approvers approvers, IOptions<ApprovalOptions> options, TimeProvider clock)
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
        // Times on the card are the viewer's, not the rep's: a manager in another zone reads their own clock.
        var zone = await people.ReadingZoneAsync(request.TenantId, viewerKey, team?.TimeZone ?? TimeZoneInfo.Utc, ct);
        var passUpTo = canDecide && request.IsPending
            ? (await approvers.AboveAsync(requester, new Money(request.AmountMinor, currency), request.Approvers, ct)).Select(m => ApprovalCards.FirstName(m.Name)).ToList()
            : null;
        var approverNames = request.Approvers.Select(a => roster.Resolve(request.TenantId, a, null).Name).ToList();
        return ApprovalCards.Build(request, team, zone, new ApprovalContext(budget, history), canDecide, await RefreshUserIdsAsync(request, ct),
            approverNames, options.Value.RequireDeclineReason, passUpTo);
    }

    /// <summary>
    /// The rep's card of their request as a reply whose place is recorded like an approver's copy, so it shows the
    /// request as it moves on (passed up, handed over) and once it is decided, even where the client never refreshes it.
    /// </summary>
    public Reply RepReply(ApprovalRequest request, TimeZoneInfo zone) =>
        new(null, ForRep(request, zone)) { Tag = new ReplyTag(request.TenantId, request.RequesterKey, ApprovalCardCopies.Topic, request.Id) };

    /// <summary>The card as <paramref name="viewerKey"/> should see it now: the rep's own card for the rep, in their zone; the approval card for anyone else.</summary>
    public async Task<CardReply> ForViewerAsync(ApprovalRequest request, string viewerKey, CancellationToken ct)
    {
        if (!string.Equals(viewerKey, request.RequesterKey, StringComparison.OrdinalIgnoreCase)) return await ForAsync(request, viewerKey, ct);
        var team = roster.FindTeam(request.TenantId, request.TeamId);
        return ForRep(request, await people.ReadingZoneAsync(request.TenantId, viewerKey, team?.TimeZone ?? TimeZoneInfo.Utc, ct));
    }

    /// <summary>The rep's own card of their request: what they asked, why it waits, and what they can still do.</summary>
    /// <param name="zone">The rep's reading zone when the rep is the one asking; otherwise the team's.</param>
    public CardReply ForRep(ApprovalRequest request, TimeZoneInfo? zone = null)
    {
        zone ??= roster.FindTeam(request.TenantId, request.TeamId)?.TimeZone ?? TimeZoneInfo.Utc;
        var names = request.Approvers.Select(a => roster.Resolve(request.TenantId, a, null).Name).ToList();
        return WaitingCards.Build(request, string.Join(" or ", names.Select(ApprovalCards.FirstName)), string.Join(" or ", names), zone, clock.GetUtcNow(), NudgeFrom(request));
    }

    /// <summary>When the rep may nudge the approvers: a while after asking, and again a while after each nudge.</summary>
    public DateTimeOffset NudgeFrom(ApprovalRequest request) => (request.NudgedAt ?? request.CreatedAt) + options.Value.NudgeAfter;

    /// <summary>The approvers' first names: "Megan", "Megan or Sam".</summary>
    public string DecidersOf(ApprovalRequest request) =>
        string.Join(" or ", request.Approvers.Select(a => ApprovalCards.FirstName(roster.Resolve(request.TenantId, a, null).Name)));

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
