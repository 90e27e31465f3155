using System.Text.Json;
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
    IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<ApprovalAction> log) : ICardActionHandler
{
    public const string Approve = "approval.approve";
    public const string Decline = "approval.decline";
    public const string Refresh = "approval.refresh";
    private const int MaxIdLength = 64;
    private const int MaxAttempts = 8;
    private static readonly TimeSpan SafetyNet = TimeSpan.FromMinutes(1);

    public string Verb => verb;

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        var id = Field(action.Data, "approvalId");
        if (id is null || id.Length > MaxIdLength || !id.All(char.IsAsciiLetterOrDigit))
        {
            return Error(400, "This approval card is damaged: it doesn't say which request it is for. Nothing was changed.");
        }
        // Looked up in the clicker's own tenant only: another tenant's request does not exist from here.
        var request = await approvals.GetAsync(person.TenantId, id, ct);
        if (request is null)
        {
            log.LogWarning("Card action {Verb} by {Person} named an unknown approval", verb, person.Key);
            return Error(404, "I can't find this approval request. Nothing was changed.");
        }
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
            log.LogWarning("{Person} is not an approver of {Approval}", person.Key, id);
            return Error(403, "Only the designated approvers can decide this request. Nothing was changed.");
        }
        var comment = (Field(action.Data, "comment") ?? "").Trim();
        if (comment.Length > options.Value.CommentMaxLength)
        {
            return Error(400, $"The comment is too long ({comment.Length:N0} characters; at most {options.Value.CommentMaxLength}). Nothing was decided.");
        }
        var now = clock.GetUtcNow();
        var settlement = new ApprovalRef(request.TenantId, request.Id);
        // A safety net queued before the decision is written, so a crash right after it still settles it a minute on;
        // it finds nothing to do once the settlement below has run, or when this click does not decide.
        await outbox.EnqueueAsync(ApprovalSchedule.Settle(settlement, now + SafetyNet), ct);
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
            // The row moved: someone decided first, it expired, or the card was marked sent. Look again.
            request = await approvals.GetAsync(person.TenantId, id, ct) ?? request;
            if (!request.IsPending || attempt >= MaxAttempts)
            {
                return Show(await cards.ForAsync(request, person.Key, ct));
            }
        }
    }

    private static TurnResult Show(CardReply card) => new([], CardActionResult.Updated(card));

    private static TurnResult Error(int status, string message) => new([], CardActionResult.Error(status, message));

    private static string? Field(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
