using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Approvals;

/// <summary>
/// The rep's buttons on their own request: Add a note (shown on every copy of the manager's card), Withdraw (once: the
/// request ends as withdrawn and the copies say so) and Nudge (one reminder to the approvers, at most once per
/// <see cref="ApprovalOptions.NudgeAfter"/>). Each change is one conditional replace of the request, so a double click
/// or a click racing a decision acts once; only the rep who asked may use them.
/// </summary>
// Takes the copies' store, not ApprovalCardCopies: that one needs the channels, whose Slack home needs the turn handler,
// which needs every card action (a cycle the container cannot see through the factories).
public sealed class WaitingAction(string verb, ApprovalStore approvals, ApprovalCardFactory cards, CardCopyStore copies,
    Notifier notifier, OutboxWriter outbox, IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<WaitingAction> log) : ICardActionHandler
{
    public const string Withdraw = "approval.withdraw";
    public const string Note = "approval.note";
    public const string Nudge = "approval.nudge";

    /// <summary>The card's refresh: Teams asks for the rep's card as it now stands whenever the rep views it.</summary>
    public const string View = "approval.view";
    private const int MaxAttempts = 8;

    public string Verb => verb;

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        var (found, refusal) = await ApprovalClick.FindAsync(approvals, person, action, log, ct);
        if (found is not { } request) return refusal!;
        if (!string.Equals(person.Key, request.RequesterKey, StringComparison.OrdinalIgnoreCase))
        {
            log.LogWarning("{Person} used {Verb} on approval {Approval} of someone else", person.Key, verb, request.Id);
            return Error(403, "Only the rep who asked can change this request. Nothing was changed.");
        }
        // A card still showing Withdraw after Megan declined would mislead: every view of it shows where it stands.
        if (verb == View) return Show(request, person.ReadingZone);
        var note = (ApprovalClick.Field(action.Data, "note") ?? "").Trim();
        if (verb == Note && note.Length == 0)
            return Error(400, $"Write the note first: it goes to {cards.DecidersOf(request)} on the approval card. Nothing was changed.");
        if (note.Length > options.Value.CommentMaxLength)
            return Error(400, $"The note is too long ({note.Length:N0} characters; at most {options.Value.CommentMaxLength}). Nothing was changed.");
        for (var attempt = 1; ; attempt++)
        {
            if (!request.IsPending) return Show(request, person.ReadingZone);
            var now = clock.GetUtcNow();
            ApprovalRequest changed;
            switch (verb)
            {
                case Withdraw:
                    changed = request with { Status = ApprovalStatus.Withdrawn, DecidedBy = person.Key, DecidedByName = person.Name, DecidedAt = now, Settled = false };
                    // Queued first, so a crash right after the replace still settles it; it finds nothing to do otherwise.
                    await outbox.EnqueueAsync(ApprovalSchedule.Settle(new ApprovalRef(request.TenantId, request.Id), now + ApprovalSchedule.SafetyNet), ct);
                    break;
                case Note when !string.IsNullOrEmpty(request.Note):
                    return Show(request, person.ReadingZone);
                case Note:
                    changed = request with { Note = note };
                    break;
                default:
                    if (now < cards.NudgeFrom(request))
                        return Error(400, ((WaitingCard)cards.ForRep(request, person.ReadingZone).Model).NudgeHint + " Nothing was sent.");
                    changed = request with { NudgedAt = now };
                    break;
            }
            if (await approvals.TryReplaceAsync(changed, ct))
            {
                await AfterAsync(changed, now, ct);
                log.LogInformation("Approval {Approval}: {Verb} by {Person}", changed.Id, verb, person.Key);
                return Show(changed with { ETag = null }, person.ReadingZone);
            }
            request = await approvals.GetAsync(person.TenantId, request.Id, ct) ?? request;
            if (attempt >= MaxAttempts) return Show(request, person.ReadingZone);
        }
    }

    /// <summary>What follows a change that was written, all through the outbox with fixed ids.</summary>
    private async Task AfterAsync(ApprovalRequest request, DateTimeOffset now, CancellationToken ct)
    {
        switch (verb)
        {
            case Withdraw:
                await outbox.EnqueueAsync(ApprovalSchedule.Settle(new ApprovalRef(request.TenantId, request.Id), now), ct);
                break;
            case Note:
                foreach (var copy in await copies.RowsAsync(request, ct))
                {
                    if (copy.State == CardCopyState.Pending) await outbox.EnqueueAsync(ApprovalCardCopies.Refresh(request, copy, "note", now), ct);
                }
                break;
            default:
                var amount = new Money(request.AmountMinor, Currency.Of(request.Currency));
                var text = $"{request.RequesterName} is waiting on your decision: {amount} to {request.Customer} ({request.Reason}). " +
                           "Type 'approvals' to see it.";
                foreach (var approver in request.Approvers)
                {
                    await notifier.SendAsync($"approval-nudge-{request.Id}-{approver}-{now.UtcTicks}",
                        Notification.Of(request.TenantId, approver, Reply.Say(text), urgent: true), ct);
                }
                break;
        }
    }

    /// <param name="zone">The clicker's (the rep's) reading zone.</param>
    private TurnResult Show(ApprovalRequest request, TimeZoneInfo zone) => ApprovalClick.Show(cards.ForRep(request, zone));

    private static TurnResult Error(int status, string message) => ApprovalClick.Error(status, message);
}
