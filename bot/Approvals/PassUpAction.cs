using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

/// <summary>
/// "Pass up to Megan" on the approval card (Action.Execute): an approver of a waiting request gives it to the next
/// approval level (<see cref="Approvers.Above"/>). Only one of its approvers can, and only while it waits; the request
/// and the pending index move in one batch under the ETag read, so two approvers passing at once move it one level.
/// The new approvers get the card, the passer's card says where it went, and the rep hears it.
/// </summary>
public sealed class PassUpAction(ApprovalStore approvals, Approvers approvers, Roster roster, ApprovalCardFactory cards, ApprovalCardDelivery delivery,
    Notifier notifier, OutboxWriter outbox, TimeProvider clock, ILogger<PassUpAction> log) : ICardActionHandler
{
    public const string PassUp = "approval.passup";
    private const int MaxAttempts = 8;

    public string Verb => PassUp;

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        var (found, refusal) = await ApprovalClick.FindAsync(approvals, person, action, log, ct);
        if (found is not { } request) return refusal!;
        for (var attempt = 1; ; attempt++)
        {
            if (!request.IsPending) return ApprovalClick.Show(await cards.ForAsync(request, person.Key, ct));
            if (string.Equals(person.Key, request.RequesterKey, StringComparison.OrdinalIgnoreCase))
                return ApprovalClick.Error(403, "You can't pass on your own request. Nothing was changed.");
            if (!request.Approvers.Contains(person.Key, StringComparer.OrdinalIgnoreCase))
            {
                // Passed up already by a colleague at the same level, or never theirs: show where it stands.
                if (request.PassedUpAt is not null) return ApprovalClick.Show(await cards.ForAsync(request, person.Key, ct));
                log.LogWarning("{Person} is not an approver of {Approval} and tried to pass it up", person.Key, request.Id);
                return ApprovalClick.Error(403, "Only the designated approvers can pass this request on. Nothing was changed.");
            }
            var requester = roster.Resolve(request.TenantId, request.RequesterKey, request.RequesterName);
            var amount = new Money(request.AmountMinor, Currency.Of(request.Currency));
            var above = await approvers.AboveAsync(requester, amount, request.Approvers, ct);
            if (above.Count == 0)
                return ApprovalClick.Error(400, "Nobody is above you to pass this request to: approve or decline it. Nothing was changed.");
            var now = clock.GetUtcNow();
            var passed = request with { Approvers = above.Select(m => m.PersonKey).ToList(), PassedUpByName = person.Name, PassedUpAt = now };
            // Queued first, so a crash right after the pass-up still gets the new approvers their cards.
            await outbox.EnqueueAsync(ApprovalSchedule.Deliver(new ApprovalRef(request.TenantId, request.Id), now + ApprovalSchedule.SafetyNet), ct);
            if (await approvals.TryReassignAsync(request, passed, ct))
            {
                foreach (var approver in passed.Approvers) await delivery.SendAsync(passed, approver, now, ct);
                await delivery.RefreshRepAsync(passed, $"passedup-{now.UtcTicks}", now, ct);
                var names = string.Join(" or ", above.Select(m => ApprovalCards.FirstName(m.Name)));
                await notifier.SendAsync($"approval-passedup-{request.Id}-{now.UtcTicks}", Notification.Of(request.TenantId, request.RequesterKey,
                    Reply.Say($"{ApprovalCards.FirstName(person.Name)} passed your {amount} credit to {request.Customer} up to {names}, who can approve it.")), ct, now);
                log.LogInformation("Approval {Approval} passed up by {Person} to {Count} approver(s)", request.Id, person.Key, above.Count);
                return ApprovalClick.Show(await cards.ForAsync(passed, person.Key, ct));
            }
            if (attempt >= MaxAttempts) return ApprovalClick.Error(409, "This request kept changing while you passed it on. Nothing was changed; try again.");
            request = await approvals.GetAsync(person.TenantId, request.Id, ct) ?? request;
        }
    }
}
