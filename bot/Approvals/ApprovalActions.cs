using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Approvals;

/// <summary>
/// Approve, Decline and Refresh on the approval card (Action.Execute). Only a designated approver decides, and only
/// once: the first decision wins through the request's ETag, and only that click queues the settlement; everyone else — a second click, another approver
/// afterwards, the requesting rep, a stranger, a forged or garbled action — gets a card that says so, and nothing changes.
/// </summary>
public sealed class ApprovalAction(string verb, ApprovalStore approvals, ApprovalCardFactory cards, OutboxWriter outbox,
    Approvers approvers, OrganizationSync organization, IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<ApprovalAction> log)
    : ICardActionHandler
{
    public const string Approve = "approval.approve";
    public const string Decline = "approval.decline";
    public const string Refresh = "approval.refresh";
    private const int MaxAttempts = 8;

    public string Verb => verb;

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        var (found, refusal) = await ApprovalClick.FindAsync(approvals, person, action, log, ct);
        if (found is not { } request) return refusal!;
        var id = request.Id;
        if (verb == Refresh || !request.IsPending)
        {
            return Show(await cards.ForAsync(request, person.Key, ct));
        }
        if (string.Equals(person.Key, request.RequesterKey, StringComparison.OrdinalIgnoreCase))
        {
            log.LogWarning("{Person} tried to decide their own approval {Approval}", person.Key, id);
            return Error(403, "You can't decide your own request; a manager will. Nothing was changed.");
        }
        if (!request.Approvers.Contains(person.Key, StringComparer.OrdinalIgnoreCase))
        {
            // A card from before the request was passed up: it now shows who has it, and changes nothing.
            if (request.PassedUpAt is not null) return Show(await cards.ForAsync(request, person.Key, ct));
            log.LogWarning("{Person} is not an approver of {Approval}", person.Key, id);
            return Error(403, "Only the designated approvers can decide this request. Nothing was changed.");
        }
        // Someone removed from their team, or no longer a manager, has lost the authority the request was addressed to.
        person = await organization.CurrentAsync(person, ct);
        if (!approvers.MayApprove(person))
        {
            log.LogWarning("{Person} is listed on {Approval} but is no longer an approver", person.Key, id);
            return Error(403, "You are no longer an approver in EmpowerBot, so you can't decide this request. Nothing was changed.");
        }
        var comment = (ApprovalClick.Field(action.Data, "comment") ?? "").Trim();
        if (comment.Length > options.Value.CommentMaxLength)
        {
            return Error(400, $"The comment is too long ({comment.Length:N0} characters; at most {options.Value.CommentMaxLength}). Nothing was decided.");
        }
        if (verb == Decline && comment.Length == 0 && options.Value.RequireDeclineReason)
        {
            return Error(400, $"Say why in the comment before you decline: {ApprovalCards.FirstName(request.RequesterName)} sees it with the outcome. Nothing was decided.");
        }
        var now = clock.GetUtcNow();
        var settlement = new ApprovalRef(request.TenantId, request.Id);
        // A safety net queued before the decision is written, so a crash right after it still settles it a minute on;
        // it finds nothing to do once the settlement below has run, or when this click does not decide.
        await outbox.EnqueueAsync(ApprovalSchedule.Settle(settlement, now + ApprovalSchedule.SafetyNet), ct);
        for (var attempt = 1; ; attempt++)
        {
            var decided = request with
            {
                Status = verb == Approve ? ApprovalStatus.Approved : ApprovalStatus.Declined,
                DecidedBy = person.Key,
                DecidedByName = person.Name,
                DecidedAt = now,
                Comment = comment.Length == 0 ? null : comment,
                Settled = false,
            };
            if (await approvals.TryReplaceAsync(decided, ct))
            {
                // Only the click whose decision was written queues the settlement: one decision, one settlement.
                await outbox.EnqueueAsync(ApprovalSchedule.Settle(settlement, now), ct);
                log.LogInformation("Approval {Approval} {Status} by {Person}", id, decided.Status, person.Key);
                return Show(await cards.ForAsync(decided with { ETag = null }, person.Key, ct));
            }
            // The row moved: someone decided first, it expired, it was passed up or handed over, or the card was marked
            // sent. Look again: only a current approver of a request still waiting decides it.
            request = await approvals.GetAsync(person.TenantId, id, ct) ?? request;
            if (!request.IsPending || !request.Approvers.Contains(person.Key, StringComparer.OrdinalIgnoreCase) || attempt >= MaxAttempts)
            {
                return Show(await cards.ForAsync(request, person.Key, ct));
            }
        }
    }

    private static TurnResult Show(CardReply card) => ApprovalClick.Show(card);

    private static TurnResult Error(int status, string message) => ApprovalClick.Error(status, message);
}
