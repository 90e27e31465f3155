using System.Globalization;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

/// <summary>
/// The durable side of approvals, run by the outbox: settling a decided request (ledger, rep, every card copy),
/// the half-time reminder and the expiry. Each step reads the request as it now stands, so running it twice is harmless.
/// </summary>
public sealed class ApprovalSchedule(
    ApprovalStore approvals,
    ExceptionLedger exceptions,
    CustomerIndex customers,
    CreditHandoff handoff,
    ApprovalCardCopies copies,
    Notifier notifier,
    Roster roster,
    TimeProvider clock,
    ILogger<ApprovalSchedule> log)
{
    public const string SettleKind = "approval.settle";
    public const string RemindKind = "approval.remind";
    public const string ExpireKind = "approval.expire";

    public static OutboxMessage Settle(ApprovalRef r, DateTimeOffset due) => OutboxMessage.Create($"approval-settle-{r.ApprovalId}", SettleKind, r, due);

    /// <summary>
    /// How long a settle waits for a decision still being written: a second at first, as the write takes milliseconds
    /// and the manager is watching their card; only a decision that failed to be written backs off, up to ten minutes.
    /// </summary>
    private const int DecisionPolls = 40;
    private static readonly TimeSpan DecisionPoll = TimeSpan.FromMilliseconds(50);

    internal static TimeSpan SettleWait(int attempt) =>
        TimeSpan.FromSeconds(attempt <= 5 ? 1 : Math.Min(600, Math.Pow(2, Math.Min(attempt - 5, 10))));

    public async Task<DeliveryOutcome> SettleAsync(ApprovalRef r, CancellationToken ct, int attempt = 1)
    {
        var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        // Queued just before the decision is written, so it often arrives a moment before it: look again for a couple of
        // seconds, on the wall clock (the write is real work even when business time is simulated), before holding.
        for (var poll = 0; request is { IsPending: true } && poll < DecisionPolls; poll++)
        {
            await Task.Delay(DecisionPoll, TimeProvider.System, ct);
            request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        }
        if (request is null) return DeliveryOutcome.Drop("approval request not found");
        // Still pending: wait for the decision (or the expiry).
        if (request.IsPending)
        {
            return clock.GetUtcNow() < request.ExpiresAt
                ? DeliveryOutcome.Hold("the decision is not written yet", SettleWait(attempt))
                : DeliveryOutcome.Drop("never decided: the expiry settles it");
        }
        var currency = Currency.Of(request.Currency);
        var outcome = request.Status switch
        {
            ApprovalStatus.Approved => CreditStatus.Applied,
            ApprovalStatus.Declined => CreditStatus.Declined,
            _ => CreditStatus.Expired,
        };
        var credit = await exceptions.SettleAsync(request.LedgerPartition, request.CreditRef, currency, outcome, ct);
        if (credit is { Status: CreditStatus.Applied, Exception: true })
        {
            await customers.RecordAsync(request.TenantId, request.RequesterKey, credit, ct);
            await handoff.IntendAsync(new CreditHandoffIntent(request.LedgerPartition, request.Currency, CreditHandoff.Applied, null, credit.Ref), ct);
        }
        // Cards before the rep's message: a failed card update retries this whole step, and the message id is fixed.
        foreach (var copy in request.CardCopies)
        {
            await copies.UpdateAsync(request, copy, ct);
        }
        await notifier.SendAsync($"approval-outcome-{request.Id}", Notification.Of(request.TenantId, request.RequesterKey, Reply.Say(OutcomeForRep(request))), ct, request.DecidedAt ?? request.ExpiresAt);
        log.LogInformation("Approval {Approval} settled as {Status}", request.Id, request.Status);
        return DeliveryOutcome.Delivered;
    }

    public async Task<DeliveryOutcome> RemindAsync(ApprovalRef r, CancellationToken ct)
    {
        var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        if (request is not { IsPending: true }) return DeliveryOutcome.Drop("no longer pending");
        var zone = roster.FindTeam(request.TenantId, request.TeamId)?.TimeZone ?? TimeZoneInfo.Utc;
        var expires = TimeZoneInfo.ConvertTime(request.ExpiresAt, zone).ToString("ddd h:mm tt", CultureInfo.InvariantCulture);
        var amount = new Money(request.AmountMinor, Currency.Of(request.Currency));
        foreach (var approver in request.Approvers)
        {
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
            if (!request.IsPending) return DeliveryOutcome.Drop("decided before it expired");
            var expired = request with { Status = ApprovalStatus.Expired, DecidedAt = clock.GetUtcNow() };
            if (await approvals.TryReplaceAsync(expired, ct)) return await SettleAsync(r, ct);
        }
        return DeliveryOutcome.RetryLater("the request kept changing");
    }

    private static string OutcomeForRep(ApprovalRequest r)
    {
        var amount = new Money(r.AmountMinor, Currency.Of(r.Currency));
        return r.Status switch
        {
            ApprovalStatus.Approved => $"{r.DecidedByName} approved your {amount} credit to {r.Customer} (ref {r.CreditRef}). It is applied as a manager-approved exception; your own budget is untouched." +
                (string.IsNullOrEmpty(r.Comment) ? "" : $" Comment: \"{r.Comment}\""),
            ApprovalStatus.Declined => $"{r.DecidedByName} declined your {amount} credit to {r.Customer} (ref {r.CreditRef}); nothing was credited." +
                (string.IsNullOrEmpty(r.Comment) ? "" : $" Comment: \"{r.Comment}\""),
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
            ApprovalSchedule.SettleKind => schedule.SettleAsync(r, ct, attempt),
            ApprovalSchedule.RemindKind => schedule.RemindAsync(r, ct),
            _ => schedule.ExpireAsync(r, ct),
        };
    }
}
