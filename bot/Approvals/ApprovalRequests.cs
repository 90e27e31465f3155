using EmpowerBot.Budget;
using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Approvals;

/// <summary>
/// Turns a credit that needs a manager into an approval request: stored, its approvers resolved from the roster,
/// each sent the approval card (urgent, through the outbox), with a reminder at half-time and expiry scheduled.
/// </summary>
public sealed class ApprovalRequests(
    ApprovalStore approvals,
    Approvers approvers,
    ApprovalCardFactory cards,
    ApprovalCardDelivery delivery,
    CustomerIndex customers,
    OutboxWriter outbox,
    IOptions<ApprovalOptions> options,
    ILogger<ApprovalRequests> log) : IExceptionRequests
{
    public IReadOnlyList<string> ApproverNames(Person requester, Money? amount = null) =>
        FirstNames(approvers.For(requester, amount ?? Money.Zero(requester.Team?.Currency ?? Currency.Of("USD"))));

    private static IReadOnlyList<string> FirstNames(IEnumerable<Member> deciders) => deciders.Select(d => d.Name.Split(' ')[0]).ToList();

    public async Task<Reply> RequestAsync(Person requester, Team team, Credit credit, string? words, CancellationToken ct)
    {
        var deciders = await approvers.ForAsync(requester, credit.Amount, ct);
        if (deciders.Count == 0 && approvers.For(requester, credit.Amount) is { Count: > 0 } absent)
        {
            log.LogWarning("No approver for {Person} in team {Team}: every approver is away with no one covering", requester.Key, team.Id);
            var names = string.Join(" and ", absent.Select(a => ApprovalCards.FirstName(a.Name)));
            return Reply.Say($"{credit.Amount} to {credit.Customer} needs approval ({credit.Note}), but {names} {(absent.Count == 1 ? "is" : "are")} away with " +
                $"no one covering, and no fallback approver is set up. It is recorded as waiting (ref {credit.Ref}) but nobody has been asked: ask again when they are back.");
        }
        if (deciders.Count == 0)
        {
            log.LogWarning("No approver for {Person} in team {Team}: no manager and no fallback approver", requester.Key, team.Id);
            return Reply.Say(requester.IsManager
                ? $"{credit.Amount} to {credit.Customer} needs approval ({credit.Note}), but there is no other approver to ask: you are your team's only " +
                  $"manager and no fallback approver is set up. It is recorded as waiting (ref {credit.Ref}); an admin can add a fallback approver " +
                  "(Approvals:FallbackApprovers) or give you a budget of your own on the roster."
                : $"{credit.Amount} to {credit.Customer} needs a manager's approval ({credit.Note}), but your team has no manager " +
                  $"set up in EmpowerBot to ask. It is recorded as waiting (ref {credit.Ref}); ask your team lead to add one.");
        }
        var partition = LedgerRows.Partition(requester.TenantId, requester.Key, Period.Containing(credit.CreatedAt, team.TimeZone));
        var request = new ApprovalRequest(credit.Uid, requester.TenantId, requester.Key, requester.Name, team.Id, partition, credit.Ref,
            credit.Amount.Minor, credit.Amount.Currency.Code, credit.Customer, credit.Reason, credit.Rule, credit.Note,
            deciders.Select(d => d.PersonKey).ToList(), ApprovalStatus.Pending, credit.CreatedAt, credit.CreatedAt + options.Value.Expiry,
            Note: string.IsNullOrWhiteSpace(words) ? null : words.Trim(),
            RuleWords: ExceptionWords.For(credit, team, requester.Name, await EarlierCreditsAsync(requester, team, credit, ct)));
        request = await approvals.CreateOrGetAsync(request, ct);
        if (!request.Notified) await AskAsync(request, team, ct);
        return cards.RepReply(request, requester.ReadingZone);
    }

    /// <summary>How many credits the customer had in the repeat window before this one: the figure the repeat rule counted.</summary>
    private async Task<int> EarlierCreditsAsync(Person requester, Team team, Credit credit, CancellationToken ct)
    {
        if (credit.Rule != "repeat-customer" || team.Policy.RepeatWindow is not { } window) return 0;
        var recent = await customers.RecentAsync(requester.TenantId, credit.Customer, credit.Amount.Currency, credit.CreatedAt - window, ct);
        return recent.Count(c => c.Uid != credit.Uid && c.Standing);
    }

    /// <summary>
    /// Sends the card to every approver and schedules the reminder and the expiry. Every message has a fixed id and
    /// due time, so doing this again after a crash re-queues nothing that is still waiting.
    /// </summary>
    private async Task AskAsync(ApprovalRequest request, Team team, CancellationToken ct)
    {
        // A team's approvals channel gets one card that everyone sees and only approvers can act on (the card's
        // refresh shows them the buttons); otherwise each approver gets the card in their 1:1 chat.
        IReadOnlyList<string> targets = team.ApprovalsChannel.Length > 0 ? [ProactiveChannel.ChannelKey(team.ApprovalsChannel)] : request.Approvers;
        foreach (var target in targets) await delivery.SendAsync(request, target, request.CreatedAt, ct);
        await outbox.EnqueueAsync(ApprovalSchedule.Remind(request), ct);
        await outbox.EnqueueAsync(ApprovalSchedule.Expire(request), ct);
        await approvals.TryReplaceAsync(request with { Notified = true }, ct);
        log.LogDebug("Approval {Approval} for {Person} sent to {Count} approver(s) in team {Team}", request.Id, request.RequesterKey, request.Approvers.Count, team.Id);
    }
}

/// <summary>Names an approval request in outbox payloads.</summary>
public sealed record ApprovalRef(string TenantId, string ApprovalId);
