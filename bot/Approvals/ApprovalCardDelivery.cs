using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

/// <summary>
/// Sends an approver (or a team's approvals channel) the approval card, urgent, through the outbox. The message id is
/// fixed per request and target, so sending again while one waits queues nothing new; the copy it lands as is recorded
/// (<see cref="ApprovalCardCopies"/>) and updated with the outcome.
/// </summary>
public sealed class ApprovalCardDelivery(ApprovalCardFactory cards, CardCopyStore copies, Notifier notifier, OutboxWriter outbox)
{
    public async Task SendAsync(ApprovalRequest request, string target, DateTimeOffset due, CancellationToken ct)
    {
        var card = await cards.ForAsync(request, target, ct);
        var notification = Notification.Of(request.TenantId, target, new Reply(null, card), urgent: true, topic: ApprovalCardCopies.Topic, correlation: request.Id);
        await notifier.SendAsync($"approval-card-{request.Id}-{target}", notification, ct, due);
    }

    /// <summary>Sends the card to each of the request's approvers who has no copy of it yet; true when any was sent.</summary>
    public async Task<bool> SendMissingAsync(ApprovalRequest request, DateTimeOffset due, CancellationToken ct)
    {
        var sent = false;
        var landed = (await copies.ListAsync(request, ct)).Select(c => c.PersonKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var approver in request.Approvers)
        {
            if (landed.Contains(approver)) continue;
            await SendAsync(request, approver, due, ct);
            sent = true;
        }
        return sent;
    }

    /// <summary>
    /// The request moved on while waiting (passed up, handed to whoever covers): the rep's own card is refreshed to say
    /// who has it now. The approvers' cards are the new approvers' own, sent to them.
    /// </summary>
    public async Task RefreshRepAsync(ApprovalRequest request, string change, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var copy in await copies.RowsAsync(request, ct))
        {
            if (copy.State == CardCopyState.Pending && string.Equals(copy.PersonKey, request.RequesterKey, StringComparison.OrdinalIgnoreCase))
                await outbox.EnqueueAsync(ApprovalCardCopies.Refresh(request, copy, change, at), ct);
        }
    }
}
