using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

/// <summary>
/// Remembers where each approval card landed (conversation and message id), and, once the request is decided or
/// expires, shows the outcome on every copy: one outbox message per copy, so a copy that fails retries alone and
/// never holds up the rep's news or the other copies. A copy whose chat or message is gone is marked so and skipped.
/// </summary>
public sealed class ApprovalCardCopies(
    ApprovalStore approvals,
    CardCopyStore copies,
    ApprovalCardFactory cards,
    IEnumerable<IProactiveChannel> channels,
    OutboxWriter outbox,
    TimeProvider clock,
    ILogger<ApprovalCardCopies> log) : ISentMessageObserver
{
    public const string Topic = "approval";
    public const string UpdateKind = "approval.copy";

    string ISentMessageObserver.Topic => Topic;

    /// <summary>
    /// The update of one copy: the id names the copy, and the due time is the decision's, so whoever asks for it (the
    /// settlement, or the copy recorded after the decision) queues the same message.
    /// </summary>
    public static OutboxMessage Update(ApprovalRequest request, CardCopy copy) => OutboxMessage.Create(
        $"approval-copy-{request.Id}-{copy.Key}", UpdateKind, new CardCopyRef(request.TenantId, request.Id, copy.Key), request.DecidedAt ?? request.ExpiresAt);

    public async Task OnSentAsync(SentMessage sent, CancellationToken ct)
    {
        if (sent.ActivityId is null || sent.Notification.Correlation is not { } id) return;
        var c = sent.Conversation;
        var copy = new CardCopy(sent.Notification.PersonKey, c.ChannelId, c.ServiceUrl, c.ConversationId, c.ConversationType, c.TenantId, c.UserId, c.BotId, sent.ActivityId);
        await copies.RecordAsync(sent.Notification.TenantId, id, copy, ct);
        // Read after the copy is recorded: a decision written before this read is one whose settlement may have listed
        // the copies without this one, so the copy asks for its own update (the same message if the settlement queued it).
        var request = await approvals.GetAsync(sent.Notification.TenantId, id, ct);
        if (request is { IsPending: false }) await outbox.EnqueueAsync(Update(request, copy), ct);
    }

    /// <summary>
    /// An approver's card can never reach them (the app is not installed for them). Once that is so for every approver
    /// of a waiting request, nobody will ever decide it: it is closed as unreachable and settled, so the rep hears the
    /// truth — who could not be reached, that nothing was credited — instead of waiting for a decision that cannot come.
    /// </summary>
    public async Task OnUndeliverableAsync(Notification notification, string reason, CancellationToken ct)
    {
        if (notification.Correlation is not { } id) return;
        var request = await approvals.GetAsync(notification.TenantId, id, ct);
        if (request is not { IsPending: true } || !request.Approvers.Contains(notification.PersonKey, StringComparer.OrdinalIgnoreCase)) return;
        log.LogWarning("Approval {Approval}: the card cannot reach approver {Person}: {Reason}", id, notification.PersonKey, reason);
        await copies.MarkUnreachableAsync(notification.TenantId, id, notification.PersonKey, ct);
        for (var attempt = 0; attempt < 8 && request is { IsPending: true }; attempt++)
        {
            var unreachable = await copies.UnreachableAsync(request.TenantId, id, ct);
            if (!request.Approvers.All(unreachable.Contains)) return;
            // Someone's card did land after all (a copy exists): that approver can still decide.
            if ((await copies.ListAsync(request, ct)).Count > 0) return;
            var now = clock.GetUtcNow();
            var closed = request with { Status = ApprovalStatus.Expired, DecidedAt = now, Unreachable = true, Settled = false };
            var settlement = new ApprovalRef(request.TenantId, id);
            // As a click does: a safety net a minute on before the write (a crash right after it still settles), and the
            // settlement due now only once the write landed. Due now before the write, it could run first, find the
            // request still waiting and drop, and the rep would never hear.
            await outbox.EnqueueAsync(ApprovalSchedule.Settle(settlement, now + ApprovalSchedule.SafetyNet), ct);
            if (await approvals.TryReplaceAsync(closed, ct))
            {
                await outbox.EnqueueAsync(ApprovalSchedule.Settle(settlement, now), ct);
                log.LogWarning("Approval {Approval} closed: none of its approvers can be reached", id);
                return;
            }
            request = await approvals.GetAsync(request.TenantId, id, ct);
        }
    }

    /// <summary>
    /// An interim update showing a change to a request still waiting (the rep's note) on one copy: one message per copy
    /// and change, which leaves the copy waiting for its final update, and has nothing to do once the request is decided.
    /// </summary>
    public static OutboxMessage Refresh(ApprovalRequest request, CardCopy copy, string change, DateTimeOffset at) => OutboxMessage.Create(
        $"approval-copy-{request.Id}-{copy.Key}-{change}", UpdateKind, new CardCopyRef(request.TenantId, request.Id, copy.Key, Interim: true), at);

    /// <summary>Queues the update of every copy not yet updated or gone.</summary>
    public async Task UpdateAllAsync(ApprovalRequest request, CancellationToken ct)
    {
        foreach (var copy in await copies.RowsAsync(request, ct))
        {
            if (copy.State == CardCopyState.Pending) await outbox.EnqueueAsync(Update(request, copy), ct);
        }
    }

    /// <summary>Replaces one copy of the card with the request as it now stands; a failure other than "gone" is retried.</summary>
    public async Task<DeliveryOutcome> UpdateAsync(CardCopyRef r, CancellationToken ct)
    {
        var copy = await copies.GetAsync(r.TenantId, r.ApprovalId, r.CopyKey, ct);
        if (copy is not { State: CardCopyState.Pending }) return DeliveryOutcome.Drop("the copy is updated already, or gone");
        var request = await approvals.GetAsync(r.TenantId, r.ApprovalId, ct);
        if (request is null) return DeliveryOutcome.Drop("approval request not found");
        if (r.Interim && !request.IsPending) return DeliveryOutcome.Drop("decided since: the copy's final update shows it");
        var channel = channels.FirstOrDefault(ch => ch.Handles(copy.ChannelId));
        if (channel is null) return DeliveryOutcome.Failed($"No channel adapter for '{copy.ChannelId}'.");
        var to = new ConversationReference(copy.ChannelId, copy.ServiceUrl, copy.ConversationId, copy.ConversationType, copy.TenantId,
            copy.UserId, null, null, copy.BotId, null);
        // An interim update leaves the copy waiting for the final one.
        var state = r.Interim ? CardCopyState.Pending : CardCopyState.Updated;
        try
        {
            await channel.UpdateAsync(to, copy.ActivityId, new Reply(null, await cards.ForViewerAsync(request, copy.PersonKey, ct)), ct);
        }
        catch (MessageGoneException e)
        {
            log.LogWarning("A copy of approval card {Approval} is gone ({Reason}); it is skipped", r.ApprovalId, e.Message);
            state = CardCopyState.Gone;
        }
        if (state != CardCopyState.Pending) await copies.TryMarkAsync(r.TenantId, r.ApprovalId, copy, state, ct);
        return state == CardCopyState.Gone ? DeliveryOutcome.Drop("the copy is gone") : DeliveryOutcome.Delivered;
    }
}

/// <summary>Names one copy of an approval card in outbox payloads; an interim update shows a waiting request's change.</summary>
public sealed record CardCopyRef(string TenantId, string ApprovalId, string CopyKey, bool Interim = false);

/// <summary>Delivers the outbox messages that update one card copy each.</summary>
public sealed class CardCopyUpdateHandler(ApprovalCardCopies copies) : IOutboxHandler
{
    public string Kind => ApprovalCardCopies.UpdateKind;

    public Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct) =>
        copies.UpdateAsync(message.ReadPayload<CardCopyRef>(), ct);
}
