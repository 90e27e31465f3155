using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

/// <summary>
/// The durable side of approvals, run by the outbox: settling a decided request (ledger, then the rep's message and
/// one update per card copy), the half-time reminder and the expiry. Each step reads the request as it now stands, and
/// a settled request is marked so, so running a step twice tells nobody twice.
/// </summary>
public sealed class ApprovalSchedule(
    ApprovalStore approvals,
    ExceptionLedger exceptions,
    ApprovalCardCopies copies,
    ApprovalCardDelivery delivery,
    Notifier notifier,
    OutboxWriter outbox,
    Roster roster,
    PeopleDirectory people,
    TimeProvider clock,
    ILogger<ApprovalSchedule> log)
{
    public const string SettleKind = "approval.settle";
    public const string RemindKind = "approval.remind";
    public const string ExpireKind = "approval.expire";
    public const string DeliverKind = "approval.deliver";

    /// <summary>The half-time reminder of a request, fixed by its id and times, so it can be queued again or forgotten.</summary>
    public static OutboxMessage Remind(ApprovalRequest r) => OutboxMessage.Create($"approval-remind-{r.Id}", RemindKind,
        new ApprovalRef(r.TenantId, r.Id), r.CreatedAt + (r.ExpiresAt - r.CreatedAt) / 2);

    /// <summary>The expiry of a request, fixed likewise.</summary>
    public static OutboxMessage Expire(ApprovalRequest r) => OutboxMessage.Create($"approval-expire-{r.Id}", ExpireKind, new ApprovalRef(r.TenantId, r.Id), r.ExpiresAt);

    /// <summary>
    /// A safety net queued before a request is passed up, due a minute on: whoever the request now waits for and has no
    /// copy of its card gets one, so a crash between the pass-up and sending its cards loses no approver.
    /// </summary>
    public static OutboxMessage Deliver(ApprovalRef r, DateTimeOffset due) =>
        OutboxMessage.Create($"approval-deliver-{r.ApprovalId}-{due.UtcTicks}", DeliverKind, r, due);

    public async Task<DeliveryOutcome> DeliverAsync(ApprovalRef r, CancellationToken ct)
    {
        var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        if (request is not { IsPending: true }) return DeliveryOutcome.Drop("no longer pending");
        return await delivery.SendMissingAsync(request, clock.GetUtcNow(), ct) ? DeliveryOutcome.Delivered : DeliveryOutcome.Drop("every approver has the card");
    }

    /// <summary>
    /// The settlement of a decision, due when it was decided. Queued by the click whose decision was written (and, a
    /// minute ahead, by every click as a safety net for a crash in between): a settle step that finds the request still
    /// pending, or already settled, has nothing to do, so it never needs to wait for a decision.
    /// </summary>
    public static OutboxMessage Settle(ApprovalRef r, DateTimeOffset due) => OutboxMessage.Create($"approval-settle-{r.ApprovalId}", SettleKind, r, due);

    /// <summary>How far ahead the safety net of a step written after it is due (a settlement, a card's delivery).</summary>
    public static readonly TimeSpan SafetyNet = TimeSpan.FromMinutes(1);

    public async Task<DeliveryOutcome> SettleAsync(ApprovalRef r, CancellationToken ct)
    {
        var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        if (request is null) return DeliveryOutcome.Drop("approval request not found");
        if (request.IsPending) return DeliveryOutcome.Drop("not decided: the click that decides, or the expiry, settles it");
        if (request.Settled is true) return DeliveryOutcome.Drop("settled already");
        var currency = Currency.Of(request.Currency);
        var outcome = request.Status switch
        {
            ApprovalStatus.Approved => CreditStatus.Applied,
            ApprovalStatus.Declined => CreditStatus.Declined,
            ApprovalStatus.Withdrawn => CreditStatus.Withdrawn,
            _ => CreditStatus.Expired,
        };
        await exceptions.SettleAsync(request.TenantId, request.RequesterKey, request.LedgerPartition, request.CreditRef, currency, outcome, ct, Decision(request));
        // The rep's message and each card copy are messages of their own, with fixed ids and due times: a copy that
        // fails retries alone, and running this step again queues nothing new while they wait.
        var decidedAt = request.DecidedAt ?? request.ExpiresAt;
        // A withdrawn request was the rep's own doing: their card already shows it, so only the copies hear.
        if (request.Status != ApprovalStatus.Withdrawn)
            await notifier.SendAsync($"approval-outcome-{request.Id}", Notification.Of(request.TenantId, request.RequesterKey, Reply.Say(OutcomeForRep(request))), ct, decidedAt);
        await copies.UpdateAllAsync(request, ct);
        await MarkSettledAsync(request, ct);
        // A decision made before the reminder or the expiry leaves them nothing to do: they leave the outbox now rather
        // than wait there for hours to drop themselves (which they still would, if one was being delivered meanwhile).
        if (request.Status != ApprovalStatus.Expired || request.Unreachable)
        {
            var remind = Remind(request);
            if (remind.Due > clock.GetUtcNow()) await outbox.ForgetAsync(remind.Id, remind.Due, ct);
            await outbox.ForgetAsync(Expire(request).Id, request.ExpiresAt, ct);
        }
        log.LogInformation("Approval {Approval} settled as {Status}", request.Id, request.Status);
        return DeliveryOutcome.Delivered;
    }

    /// <summary>Records the settlement, so that a safety net or a redelivery of this step finds nothing to do.</summary>
    private async Task MarkSettledAsync(ApprovalRequest request, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            if (await approvals.TryReplaceAsync(request with { Settled = true }, ct)) return;
            // Only a late "card sent" mark moves a decided row: read it again.
            request = await approvals.GetAsync(request.TenantId, request.Id, ct) ?? request;
            if (request.Settled is true) return;
        }
        log.LogWarning("Could not record the settlement of approval {Approval}", request.Id);
    }

    public async Task<DeliveryOutcome> RemindAsync(ApprovalRef r, CancellationToken ct)
    {
        var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        if (request is not { IsPending: true }) return DeliveryOutcome.Drop("no longer pending");
        var teamZone = roster.FindTeam(request.TenantId, request.TeamId)?.TimeZone ?? TimeZoneInfo.Utc;
        var amount = new Money(request.AmountMinor, Currency.Of(request.Currency));
        foreach (var approver in request.Approvers)
        {
            var expires = ZonedTime.WeekdayAndTime(request.ExpiresAt, await people.ReadingZoneAsync(request.TenantId, approver, teamZone, ct));
            var text = $"Reminder: {request.RequesterName}'s {amount} credit to {request.Customer} is still waiting for your decision. It expires {expires}.";
            await notifier.SendAsync($"approval-reminder-{request.Id}-{approver}", Notification.Of(request.TenantId, approver, Reply.Say(text), urgent: true), ct);
        }
        return DeliveryOutcome.Delivered;
    }

    public async Task<DeliveryOutcome> ExpireAsync(ApprovalRef r, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
            if (request is null) return DeliveryOutcome.Drop("approval request not found");
            // A decision whose settlement was lost (a crash between the decision and queuing it) is settled now.
            if (!request.IsPending) return request.Settled is false ? await SettleAsync(r, ct) : DeliveryOutcome.Drop("decided before it expired");
            var expired = request with { Status = ApprovalStatus.Expired, DecidedAt = clock.GetUtcNow() };
            if (await approvals.TryReplaceAsync(expired, ct)) return await SettleAsync(r, ct);
        }
        return DeliveryOutcome.RetryLater("the request kept changing");
    }

    /// <summary>"Declined by Megan Bowen: “Offer a replacement instead”", kept on the credit for the rep's history.</summary>
    private static string? Decision(ApprovalRequest r) => r.Status is ApprovalStatus.Approved or ApprovalStatus.Declined
        ? $"{r.Status} by {r.DecidedByName}" + (string.IsNullOrEmpty(r.Comment) ? "" : $": \u201c{r.Comment}\u201d")
        : null;

    private static string OutcomeForRep(ApprovalRequest r)
    {
        var amount = new Money(r.AmountMinor, Currency.Of(r.Currency));
        return r.Status switch
        {
            ApprovalStatus.Approved => $"{r.DecidedByName} approved your {amount} credit to {r.Customer} (ref {r.CreditRef}). It is applied as a manager-approved exception; your own budget is untouched." +
                (string.IsNullOrEmpty(r.Comment) ? "" : $" Comment: \"{r.Comment}\""),
            ApprovalStatus.Declined => $"{r.DecidedByName} declined your {amount} credit to {r.Customer} (ref {r.CreditRef}); nothing was credited." +
                (string.IsNullOrEmpty(r.Comment) ? "" : $" Comment: \"{r.Comment}\""),
            _ when r.Unreachable => $"Your {amount} credit to {r.Customer} (ref {r.CreditRef}) could not reach anyone who can approve it: EmpowerBot " +
                "cannot open a chat with them (the app is probably not installed for them). Nothing was credited and the request is closed; " +
                "ask your team lead to install EmpowerBot for your approvers, then ask again.",
            _ => $"Your {amount} credit to {r.Customer} (ref {r.CreditRef}) expired before a manager decided; nothing was credited. Ask again if the customer still needs it.",
        };
    }
}

/// <summary>Outbox handlers for the approval schedule, one per message kind.</summary>
public sealed class ApprovalScheduleHandler(string kind, ApprovalSchedule schedule) : IOutboxHandler
{
    public string Kind => kind;

    public Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var r = message.ReadPayload<ApprovalRef>();
        return kind switch
        {
            ApprovalSchedule.SettleKind => schedule.SettleAsync(r, ct),
            ApprovalSchedule.RemindKind => schedule.RemindAsync(r, ct),
            ApprovalSchedule.DeliverKind => schedule.DeliverAsync(r, ct),
            _ => schedule.ExpireAsync(r, ct),
        };
    }
}
